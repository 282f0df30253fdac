#!/usr/bin/env bash
# Fetch the front-end files the UI serves, from the npm registry, into static/vendor/.
# The running app loads nothing from outside: these files are committed with their licences.
set -euo pipefail
cd "$(dirname "$0")/.."
BOOTSTRAP=5.3.9
HTMX=2.0.11
out=static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() {  # name version
  (cd "$tmp" && npm pack --silent "$1@$2" >/dev/null && mkdir -p "$1" && tar -xzf "$1"-*.tgz -C "$1" --strip-components=1)
}
fetch bootstrap "$BOOTSTRAP"
fetch htmx.org "$HTMX"
rm -rf "$out" && mkdir -p "$out/bootstrap" "$out/htmx"
cp "$tmp/bootstrap/dist/css/bootstrap.min.css" "$tmp/bootstrap/dist/js/bootstrap.bundle.min.js" "$out/bootstrap/"
cp "$tmp/bootstrap/LICENSE" "$out/bootstrap/LICENSE"
cp "$tmp/htmx.org/dist/htmx.min.js" "$out/htmx/"
cp "$tmp/htmx.org/LICENSE" "$out/htmx/LICENSE"
# Source maps are not shipped; drop the comments that point at them (the manifest storage
# would otherwise fail on the missing files).
sed -i '/sourceMappingURL=/d' "$out"/bootstrap/*.min.* "$out"/htmx/*.min.js
cat > "$out/VERSIONS.md" <<VERSIONS
# Vendored front-end files

Fetched from the npm registry by \`make vendor\` (scripts/vendor.sh), with the source-map
comments removed. Do not edit by hand.

| package | version | licence | files |
|---|---|---|---|
| bootstrap | $BOOTSTRAP | MIT (bootstrap/LICENSE) | bootstrap.min.css, bootstrap.bundle.min.js |
| htmx.org | $HTMX | 0BSD (htmx/LICENSE) | htmx.min.js |
VERSIONS
echo "vendored into $out"

"""Anchors: the chain's head, written outside the database every day and checked by ``verify``.

The hash chain shows any edit of a stored event, but not a trail rewritten as a whole: whoever can
write the database can recompute every hash. An anchor (count and head hash at a moment) kept
where that person cannot write closes the gap: a rewritten or truncated chain no longer holds it.
``oversight worker`` writes ``anchor-YYYY-MM-DD.json`` (local date) once a day into
``OVERSIGHT_AUDIT_ANCHOR_DIR``, which operators point at another disk or a write-once share;
``oversight audit verify`` and the audit administrator's check read every anchor found there.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings

from oversight.audit.canonical import GENESIS
from oversight.audit.chain import Anchor, VerifyResult, anchor, verify
from oversight.audit.models import AuditEvent
from oversight.core import clock

ANCHOR_GLOB = "anchor-*.json"
HASH = re.compile(r"^[0-9a-f]{64}$")
MAX_ANCHOR_BYTES = 64 * 1024


def anchor_dir() -> Path:
    """The folder anchors are written to and read from (``OVERSIGHT_AUDIT_ANCHOR_DIR``)."""
    return Path(settings.OVERSIGHT_AUDIT_ANCHOR_DIR)


def _local(at: datetime) -> datetime:
    return at.astimezone(ZoneInfo(settings.TIME_ZONE))


def _content(head: Anchor) -> str:
    data = {"count": head.count, "head_hash": head.head_hash, "at": _local(head.at).isoformat()}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _write_new(folder: Path, name: str, text: str) -> bool:
    """Write ``folder/name`` atomically unless it exists; return whether it was written.

    The text goes to a hidden temporary file that is synced and then hard-linked to its name, so
    a reader sees the whole file or none, and an existing anchor is never replaced, even by a
    second worker racing this one. Only the folder itself is created: a missing parent (a disk
    that is not mounted) is an error, not a reason to write on the wrong disk.
    """
    folder.mkdir(exist_ok=True)
    final = folder / name
    if final.exists():
        return False
    fd, tmp = tempfile.mkstemp(prefix=".anchor-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o444)
        try:
            os.link(tmp, final)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: rename, checked just before
            if final.exists():
                return False
            os.rename(tmp, final)
        _sync_folder(folder)
        return True
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a directory; the file itself is synced
        pass
    finally:
        os.close(fd)


def write_daily() -> str:
    """Write today's anchor (local date) unless it is there already; say which it was.

    Run by the periodic tick of ``oversight worker``, so many times a day: the first run of a
    day writes ``anchor-YYYY-MM-DD.json``, the others leave it alone.
    """
    name = f"anchor-{_local(clock.now()).date().isoformat()}.json"
    folder = anchor_dir()
    if (folder / name).exists():
        return f"{name} already written"
    written = _write_new(folder, name, _content(anchor()))
    return f"{name} written" if written else f"{name} already written"


def write_now() -> tuple[Path, Anchor]:
    """Write an anchor of the chain's head now, named by the local time to the second.

    Raises FileExistsError when one of that name exists (two within a second).
    """
    head = anchor()
    name = f"anchor-{_local(head.at).strftime('%Y-%m-%d-%H%M%S')}.json"
    folder = anchor_dir()
    if not _write_new(folder, name, _content(head)):
        raise FileExistsError(str(folder / name))
    return folder / name, head


# --- checking --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnchorProblem:
    """An anchor the chain does not hold. ``kind``: "malformed" (not a readable anchor; ``detail``
    says why), "past_end" (the chain is shorter than the anchor: its end was cut off) or
    "mismatch" (the chain holds another hash at that position: it was rewritten)."""

    source: str
    kind: str
    count: int | None = None
    detail: str = ""


@dataclass(frozen=True)
class AuditCheck:
    """The chain recomputed, and every anchor compared with it."""

    chain: VerifyResult
    folder: Path
    folder_found: bool
    anchors_checked: int
    stored: int
    problems: tuple[AnchorProblem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problems


class MalformedAnchor(ValueError):
    pass


def read_anchor(path: Path) -> tuple[int, str]:
    """Return the (count, head hash) an anchor file holds; raise MalformedAnchor saying why."""
    try:
        if not path.is_file():
            raise MalformedAnchor("not a file")
        if path.stat().st_size > MAX_ANCHOR_BYTES:
            raise MalformedAnchor("too large")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise MalformedAnchor(f"unreadable: {exc.__class__.__name__}") from None
    except json.JSONDecodeError:
        raise MalformedAnchor("not JSON") from None
    if not isinstance(data, dict):
        raise MalformedAnchor("not a JSON object")
    count, head_hash = data.get("count"), data.get("head_hash")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise MalformedAnchor("count is not a whole number")
    if not isinstance(head_hash, str) or not HASH.match(head_hash):
        raise MalformedAnchor("head_hash is not 64 hex digits")
    return count, head_hash


def _held_hashes(counts: Iterable[int]) -> dict[int, str]:
    """The stored hash at each position, in batches (one query per 500 anchors)."""
    held = {0: GENESIS}
    wanted = sorted({c for c in counts if c > 0})
    for start in range(0, len(wanted), 500):
        batch = wanted[start : start + 500]
        held.update(AuditEvent.objects.filter(seq__in=batch).values_list("seq", "hash"))
    return held


def check(extra: Sequence[tuple[str, int, str]] = ()) -> AuditCheck:
    """Recompute the chain and compare it with every anchor in the folder and with ``extra``
    anchors given as (source, count, head hash)."""
    result = verify()
    folder = anchor_dir()
    anchors: list[tuple[str, int, str]] = []
    problems: list[AnchorProblem] = []
    found = folder.is_dir()
    if found:
        try:
            paths = sorted(folder.glob(ANCHOR_GLOB))
        except OSError as exc:
            paths = []
            problems.append(
                AnchorProblem(str(folder), "malformed", detail=f"unreadable: {exc.strerror}")
            )
        for path in paths:
            try:
                count, head_hash = read_anchor(path)
            except MalformedAnchor as exc:
                problems.append(AnchorProblem(path.name, "malformed", detail=str(exc)))
            else:
                anchors.append((path.name, count, head_hash))
    anchors.extend(extra)
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    held = _held_hashes(count for _source, count, _hash in anchors if count <= last)
    for source, count, head_hash in anchors:
        if count > last:
            problems.append(AnchorProblem(source, "past_end", count))
        elif held.get(count) != head_hash:
            problems.append(AnchorProblem(source, "mismatch", count))
    return AuditCheck(
        chain=result,
        folder=folder,
        folder_found=found,
        anchors_checked=len(anchors) + sum(p.kind == "malformed" for p in problems),
        stored=last,
        problems=tuple(problems),
    )


# --- the operator's check (oversight doctor) ---------------------------------------------------


def _sqlite_file() -> Path | None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3" or str(db["NAME"]).startswith(":memory:"):
        return None
    return Path(db["NAME"])


def folder_health() -> tuple[bool, str]:
    """Say whether the anchor folder is usable and kept apart from the database.

    Not ok when the folder is missing, cannot be written, or is on the same device as a SQLite
    database file (a rewrite of the database could then rewrite the anchors too).
    """
    folder = anchor_dir()
    if not folder.is_dir():
        return False, f"{folder} is missing (create it on another disk than the database's)"
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return False, f"{folder} cannot be written: {exc.strerror}"
    database = _sqlite_file()
    if database is not None:
        near = database if database.exists() else database.parent
        if near.exists() and os.stat(near).st_dev == os.stat(folder).st_dev:
            return False, (
                f"{folder} is on the same disk as the database {database}: "
                "point OVERSIGHT_AUDIT_ANCHOR_DIR at another disk"
            )
    return True, str(folder)

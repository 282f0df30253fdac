"""The ``oversight`` console script: Django's commands plus Oversight's own."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run a command; on failure print one line to stderr and exit non-zero."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["oversight", *sys.argv[1:]])
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("OVERSIGHT_DEBUG"):
            raise
        message = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
        sys.stderr.write(f"error: {message}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()

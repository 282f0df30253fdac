"""Append-only, hash-chained audit trail. ``record`` is the only writer of ``AuditEvent``.

The functions are imported lazily so that this package can be named in INSTALLED_APPS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from oversight.audit.anchors import AuditCheck
    from oversight.audit.chain import Anchor, VerifyResult
    from oversight.audit.models import AuditEvent


def record(**kwargs: Any) -> AuditEvent:
    """Append one event to the chain; see ``oversight.audit.chain.record``."""
    from oversight.audit.chain import record as _record

    return _record(**kwargs)


def verify(**kwargs: Any) -> VerifyResult:
    """Recompute the chain; see ``oversight.audit.chain.verify``."""
    from oversight.audit.chain import verify as _verify

    return _verify(**kwargs)


def anchor() -> Anchor:
    """Return the chain's head; see ``oversight.audit.chain.anchor``."""
    from oversight.audit.chain import anchor as _anchor

    return _anchor()


def check(**kwargs: Any) -> AuditCheck:
    """Recompute the chain, compare it with every anchor; see ``oversight.audit.anchors.check``."""
    from oversight.audit.anchors import check as _check

    return _check(**kwargs)

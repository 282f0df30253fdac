"""Pure rules of inspections: who may record them. No Django here."""

from __future__ import annotations

from oversight.org.policy import Who, sees_business_data


def may_record_inspections(who: Who) -> bool:
    """Record checks of subjects of one's scope: inspectors and leaders."""
    return sees_business_data(who) and bool(who.roles & {"INSPECTOR", "LEADER"})

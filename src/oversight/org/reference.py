"""Reference data every installation starts with: the departments of the responsibility list."""

from __future__ import annotations

from django.db import transaction

from oversight.org.models import Department
from oversight.org.services import department_save

# (code, name): the branches that own a regime in the responsibility list.
DEPARTMENTS = [
    ("TRAFFIC", "交警"),
    ("PUBLIC_ORDER", "治安"),
    ("CYBER", "网安"),
    ("EXIT_ENTRY", "出入境"),
    ("CUSTODY", "监管"),
    ("COMMAND", "指挥中心"),
    ("LEGAL", "法制"),
    ("NARCOTICS", "禁毒"),
    ("INSPECTION", "督察"),
    ("DISCIPLINE", "纪检"),
]


def load_departments() -> int:
    """Create the departments that are missing (by code); return how many were created."""
    created = 0
    with transaction.atomic():
        existing = set(Department.objects.values_list("code", flat=True))
        for code, name in DEPARTMENTS:
            if code not in existing:
                department_save(actor=None, code=code, name=name)
                created += 1
    return created

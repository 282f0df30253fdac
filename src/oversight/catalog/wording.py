"""The catalog's codes in words a user reads: units, kinds of handling, permit words, and what
changed between two versions, said by regime title, item number and field name.

Only presentation: no rule depends on these words. English msgids, Chinese through gettext.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from oversight.catalog.citation import citation
from oversight.catalog.diff import Change

UNITS = {
    "CNY": pgettext_lazy("catalog unit", "yuan"),
    "days": pgettext_lazy("catalog unit", "days"),
    "working_days": pgettext_lazy("catalog unit", "working days"),
    "hours": pgettext_lazy("catalog unit", "hours"),
    "months": pgettext_lazy("catalog unit", "months"),
    "percent": pgettext_lazy("catalog unit", "per cent"),
    "points": pgettext_lazy("catalog unit", "points"),
    "count": pgettext_lazy("catalog unit", "times"),
    "officers": pgettext_lazy("catalog unit", "officers"),
}

HANDLING_KINDS = {
    "RECTIFICATION": gettext_lazy("Rectification"),
    "WARNING": gettext_lazy("Warning"),
    "FINE": gettext_lazy("Fine"),
    "CONFISCATION": gettext_lazy("Confiscation"),
    "SUSPENSION": gettext_lazy("Suspension"),
    "REVOCATION": gettext_lazy("Revocation"),
    "CORRECTION_ORDER": gettext_lazy("Order to correct or revoke"),
    "CIRCULAR": gettext_lazy("Circular"),
    "AWARD_EXCLUSION": gettext_lazy("Award exclusion"),
    "SANCTION_RECOMMENDATION": gettext_lazy("Sanction recommended"),
    "ACCOUNTABILITY": gettext_lazy("Accountability"),
    "REFERRAL": gettext_lazy("Referral"),
    "CRIMINAL_LIABILITY": gettext_lazy("Criminal liability"),
    "COMPENSATION": gettext_lazy("Compensation"),
    "WRITTEN_SELF_CRITICISM": gettext_lazy("Written self-criticism"),
    "CONFINEMENT": gettext_lazy("Confinement"),
    "GRADING": gettext_lazy("Grading"),
    "PROBATION": gettext_lazy("Probation listing"),
    "DETERMINATION": gettext_lazy("Determination"),
    "FEEDBACK": gettext_lazy("Feedback"),
    "OTHER": gettext_lazy("Other"),
}

PERMIT_WORDS = {
    "PURCHASE": gettext_lazy("Purchase"),
    "TRANSPORT": gettext_lazy("Transport"),
    "PERMIT": gettext_lazy("Permit"),
    "FILING": gettext_lazy("Filing"),
}

CATEGORIES = {  # of controlled chemicals (易制毒化学品)
    1: gettext_lazy("Category 1"),
    2: gettext_lazy("Category 2"),
    3: gettext_lazy("Category 3"),
}

# The fields of the catalog's files, named as a version's list of changes names them.
FIELDS = {
    "header": pgettext_lazy("catalog field", "catalog heading"),
    "instruments": pgettext_lazy("catalog field", "laws and rules"),
    "regimes": pgettext_lazy("catalog field", "regimes"),
    "cases": pgettext_lazy("catalog field", "test cases"),
    "provisions": pgettext_lazy("catalog field", "provisions"),
    "name": pgettext_lazy("catalog field", "name"),
    "title": pgettext_lazy("catalog field", "title"),
    "label": pgettext_lazy("catalog field", "name"),
    "code": pgettext_lazy("catalog field", "code"),
    "id": pgettext_lazy("catalog field", "code"),
    "number": pgettext_lazy("catalog field", "document number"),
    "article": pgettext_lazy("catalog field", "article"),
    "text": pgettext_lazy("catalog field", "wording"),
    "intro": pgettext_lazy("catalog field", "opening words"),
    "preamble": pgettext_lazy("catalog field", "opening words"),
    "note": pgettext_lazy("catalog field", "note"),
    "sourcing": pgettext_lazy("catalog field", "sourcing"),
    "source": pgettext_lazy("catalog field", "source"),
    "text_file": pgettext_lazy("catalog field", "full text file"),
    "seed_text": pgettext_lazy("catalog field", "wording in the responsibility list"),
    "status": pgettext_lazy("catalog field", "verification"),
    "quote": pgettext_lazy("catalog field", "quoted words"),
    "reference": pgettext_lazy("catalog field", "legal basis"),
    "basis": pgettext_lazy("catalog field", "legal basis"),
    "values": pgettext_lazy("catalog field", "values"),
    "value": pgettext_lazy("catalog field", "value"),
    "min": pgettext_lazy("catalog field", "lower limit"),
    "max": pgettext_lazy("catalog field", "upper limit"),
    "from": pgettext_lazy("catalog field", "in force from"),
    "effective_on": pgettext_lazy("catalog field", "in force from"),
    "promulgated_on": pgettext_lazy("catalog field", "promulgated on"),
    "unit": pgettext_lazy("catalog field", "unit"),
    "kind": pgettext_lazy("catalog field", "kind"),
    "condition": pgettext_lazy("catalog field", "when it applies"),
    "objects": pgettext_lazy("catalog field", "Objects"),
    "content": pgettext_lazy("catalog field", "Content"),
    "methods": pgettext_lazy("catalog field", "Methods"),
    "measures": pgettext_lazy("catalog field", "Measures"),
    "procedure": pgettext_lazy("catalog field", "Procedure"),
    "handling": pgettext_lazy("catalog field", "Handling"),
    "rules": pgettext_lazy("catalog field", "rules"),
    "figures": pgettext_lazy("catalog field", "Figures"),
    "correction_grounds": pgettext_lazy(
        "catalog field", "Grounds for ordering a correction or revocation"
    ),
    "fault_types": pgettext_lazy("catalog field", "Types of enforcement fault"),
    "accountability_forms": pgettext_lazy("catalog field", "Forms of accountability"),
    "violations": pgettext_lazy("catalog field", "Violations"),
    "determination_steps": pgettext_lazy("catalog field", "Steps to a determination"),
    "scoring": pgettext_lazy("catalog field", "Scoring scheme"),
    "grading": pgettext_lazy("catalog field", "Grading"),
    "approval_chains": pgettext_lazy("catalog field", "Approval chain"),
    "permit_matrix": pgettext_lazy("catalog field", "Permits and filings by category"),
    "department": pgettext_lazy("catalog field", "department"),
    "departments": pgettext_lazy("catalog field", "departments"),
    "subject_kinds": pgettext_lazy("catalog field", "kinds of object"),
    "method_kinds": pgettext_lazy("catalog field", "kinds of method"),
    "applies_to": pgettext_lazy("catalog field", "kinds of object"),
    "section": pgettext_lazy("catalog field", "Section"),
    "group": pgettext_lazy("catalog field", "group"),
    "group_title": pgettext_lazy("catalog field", "group"),
    "modes": pgettext_lazy("catalog field", "forms of inspection"),
    "who": pgettext_lazy("catalog field", "who inspects"),
    "announced": pgettext_lazy("catalog field", "announced or not"),
    "target": pgettext_lazy("catalog field", "handled party"),
    "min_inspectors": pgettext_lazy("catalog field", "Minimum inspectors"),
    "show_credentials": pgettext_lazy("catalog field", "credentials shown"),
    "record": pgettext_lazy("catalog field", "written record"),
    "frequencies": pgettext_lazy("catalog field", "frequencies"),
    "liaison_required": pgettext_lazy("catalog field", "liaisons"),
    "draw_weights": pgettext_lazy("catalog field", "weights of a random draw"),
    "A": pgettext_lazy("catalog field", "risk grade A"),
    "B": pgettext_lazy("catalog field", "risk grade B"),
    "C": pgettext_lazy("catalog field", "risk grade C"),
    "D": pgettext_lazy("catalog field", "risk grade D"),
    "required": pgettext_lazy("catalog field", "required"),
    "signed_by": pgettext_lazy("catalog field", "signed by"),
    "refusal_noted": pgettext_lazy("catalog field", "refusal to sign noted"),
    "objection_allowed": pgettext_lazy("catalog field", "objections may be stated"),
    "method": pgettext_lazy("catalog field", "method"),
    "figure": pgettext_lazy("catalog field", "figure"),
    "per": pgettext_lazy("catalog field", "period"),
    "total": pgettext_lazy("catalog field", "total"),
    "components": pgettext_lazy("catalog field", "Component"),
    "publication": pgettext_lazy("catalog field", "publication"),
    "recheck_limit": pgettext_lazy("catalog field", "recheck limit"),
    "veto": pgettext_lazy("catalog field", "Veto"),
    "award_exclusions": pgettext_lazy("catalog field", "Not eligible for excellent"),
    "grades": pgettext_lazy("catalog field", "grades"),
    "weight": pgettext_lazy("catalog field", "Weight"),
    "period": pgettext_lazy("catalog field", "period"),
    "levels": pgettext_lazy("catalog field", "grades"),
    "steps": pgettext_lazy("catalog field", "steps"),
    "category": pgettext_lazy("catalog field", "Category"),
    "activity": pgettext_lazy("catalog field", "Activity"),
    "act": pgettext_lazy("catalog field", "Act"),
    "decided_by": pgettext_lazy("catalog field", "Decided by"),
    "in_scope": pgettext_lazy("catalog field", "checked under this regime"),
    "seed": pgettext_lazy("catalog field", "place in the responsibility list"),
    "first": pgettext_lazy("catalog field", "first line"),
    "last": pgettext_lazy("catalog field", "last line"),
    "sampling_cap": pgettext_lazy("catalog field", "sampling cap"),
    "internal": pgettext_lazy("catalog field", "police body"),
    "description": pgettext_lazy("catalog field", "description"),
    "remote": pgettext_lazy("catalog field", "remote"),
    "check": pgettext_lazy("catalog field", "check"),
    "on": pgettext_lazy("catalog field", "date"),
    "amount": pgettext_lazy("catalog field", "amount"),
    "population": pgettext_lazy("catalog field", "population"),
    "drawn": pgettext_lazy("catalog field", "drawn"),
    "scores": pgettext_lazy("catalog field", "scores"),
    "expect": pgettext_lazy("catalog field", "expected result"),
    "regime": pgettext_lazy("catalog field", "Regime"),
    # the declarations of a kind of subject
    "credit_code": pgettext_lazy("catalog field", "unified social credit code"),
    "links": pgettext_lazy("catalog field", "linked units of the organisation"),
    "agency_kinds": pgettext_lazy("catalog field", "kinds of agency"),
    "fields": pgettext_lazy("catalog field", "declared fields"),
    "type": pgettext_lazy("catalog field", "type of value"),
    "choices": pgettext_lazy("catalog field", "choices"),
    "pattern": pgettext_lazy("catalog field", "format"),
    "pattern_message": pgettext_lazy("catalog field", "message on a wrong format"),
    "max_length": pgettext_lazy("catalog field", "maximum length"),
    "minimum": pgettext_lazy("catalog field", "minimum"),
    "maximum": pgettext_lazy("catalog field", "maximum"),
    "decimals": pgettext_lazy("catalog field", "decimal places"),
    "help": pgettext_lazy("catalog field", "help text"),
    "example": pgettext_lazy("catalog field", "example"),
}
# Steps of a path that only say "the items of": the item's number says enough.
SILENT = {"items"}

# Code values of the schema (modes, who inspects, targets, periods, status), in words.
VALUES = {
    "PERIODIC": pgettext_lazy("catalog value", "periodic"),
    "AD_HOC": pgettext_lazy("catalog value", "ad hoc"),
    "SPECIAL": pgettext_lazy("catalog value", "special"),
    "RANDOM": pgettext_lazy("catalog value", "random"),
    "SELF": pgettext_lazy("catalog value", "by itself"),
    "PEER": pgettext_lazy("catalog value", "by a peer"),
    "SPOT": pgettext_lazy("catalog value", "spot check"),
    "SUPERIOR": pgettext_lazy("catalog value", "by the superior"),
    "UNIT": pgettext_lazy("catalog value", "unit"),
    "PERSON": pgettext_lazy("catalog value", "person"),
    "AGENCY": pgettext_lazy("catalog value", "public security organ"),
    "OFFICER": pgettext_lazy("catalog value", "police officer"),
    "INSPECTORS": pgettext_lazy("catalog value", "inspectors"),
    "REPRESENTATIVE": pgettext_lazy("catalog value", "representative of the inspected"),
    "WITNESS": pgettext_lazy("catalog value", "witness"),
    "INSPECTED": pgettext_lazy("catalog value", "the inspected"),
    "day": pgettext_lazy("catalog value", "day"),
    "month": pgettext_lazy("catalog value", "month"),
    "year": pgettext_lazy("catalog value", "year"),
    "YEAR": pgettext_lazy("catalog value", "yearly"),
    "QUARTER": pgettext_lazy("catalog value", "quarterly"),
    "MONTH": pgettext_lazy("catalog value", "monthly"),
    "ON_EVENT": pgettext_lazy("catalog value", "when it happens"),
    "verified": pgettext_lazy("catalog value", "Verified"),
    "unconfirmed": pgettext_lazy("catalog value", "Unconfirmed"),
    # whether a kind's subjects carry a credit code
    "required": pgettext_lazy("catalog value", "required"),
    "optional": pgettext_lazy("catalog value", "optional"),
    "none": pgettext_lazy("catalog value", "not applicable"),
    # types of a declared field
    "text": pgettext_lazy("catalog value", "text"),
    "choice": pgettext_lazy("catalog value", "choice"),
    "date": pgettext_lazy("catalog value", "date"),
    "integer": pgettext_lazy("catalog value", "whole number"),
    "decimal": pgettext_lazy("catalog value", "number with decimals"),
    "boolean": pgettext_lazy("catalog value", "yes or no"),
    # kinds of agency (as the organisation names them)
    "BUREAU": pgettext_lazy("catalog value", "public security bureau"),
    "DETACHMENT": pgettext_lazy("catalog value", "detachment"),
    "BRIGADE": pgettext_lazy("catalog value", "brigade"),
    "POLICE_STATION": pgettext_lazy("catalog value", "police station"),
    "DETENTION_CENTER": pgettext_lazy("catalog value", "detention centre"),
    "CUSTODY_CENTER": pgettext_lazy("catalog value", "administrative custody centre"),
    "COMMAND_CENTER": pgettext_lazy("catalog value", "command centre"),
    "OFFICE": pgettext_lazy("catalog value", "office"),
}


CODE_LIKE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")


def frequency(method: str, value: Any, per: str) -> str:
    """Say how often a method is applied, e.g. "on site: 12 times a year"."""
    times = f"{value.value:.0f}" if value is not None and value.value is not None else "…"
    phrases = {
        "day": _("%(method)s: %(n)s times a day"),
        "month": _("%(method)s: %(n)s times a month"),
        "year": _("%(method)s: %(n)s times a year"),
    }
    return phrases[per] % {"method": method, "n": times}


@dataclass(frozen=True)
class ChangeInWords:
    kind: str  # "added", "removed", "changed", as the change's
    where: str  # in words: the regime, the part, the item's number, the field
    before: str
    after: str
    path: str  # the change's dotted path, for scripts and maintainers (not shown)


class ChangeReader:
    """Say the changes between two catalog documents in words, naming codes by their names."""

    def __init__(self, before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
        self.documents = (after, before)  # a place is looked up in the newer one first
        self.names: dict[str, str] = {}
        for document in (before, after):
            self.names |= _names_of(document)

    def describe(self, change: Change) -> ChangeInWords:
        return ChangeInWords(
            kind=change.kind,
            where=" · ".join(self._place(change.path)),
            before=self.value(change.before),
            after=self.value(change.after),
            path=change.where,
        )

    def value(self, value: Any) -> str:
        """Say a value: yes or no, a number, a text, a code by its name, a whole entry by title."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return pgettext("catalog value", "yes") if value else pgettext("catalog value", "no")
        if isinstance(value, dict):
            return str(
                _headline(value)
                or value.get("text")
                or value.get("label")
                or pgettext("catalog value", "(several details)")
            )
        if isinstance(value, list):
            return "、".join(self.value(v) for v in value)
        text = str(value)
        if CODE_LIKE.match(text) and not text.isdigit():
            return self.names.get(text, pgettext("catalog value", "(a code)"))
        return text

    def _place(self, path: tuple[str | int, ...]) -> list[str]:
        for document in self.documents:
            words = _walk_place(document, path)
            if words is not None:
                return words
        return (
            [str(FIELDS.get(str(path[0]), pgettext("catalog field", "other details")))]
            if path
            else []
        )


def _names_of(document: Mapping[str, Any]) -> dict[str, str]:
    """The name of every code a document uses: kinds, departments, units, provisions."""
    header = document.get("header", {})
    names: dict[str, str] = {}
    for key in ("departments", "subject_kinds", "method_kinds"):
        names |= {entry["code"]: entry["name"] for entry in header.get(key, [])}
    for kind in header.get("subject_kinds", []):
        for declared in kind.get("fields", []):
            names |= {c["value"]: c["label"] for c in declared.get("choices", [])}
    for instrument in document.get("instruments", []):
        for provision in instrument.get("provisions", []):
            names[provision["id"]] = citation(
                instrument["id"], instrument["title"], provision["article"]
            )
    for regime in document.get("regimes", []):
        names[regime["code"]] = f"{regime['section']} {regime['title']}"
        names |= {key: figure["label"] for key, figure in regime.get("figures", {}).items()}
    words = {**UNITS, **HANDLING_KINDS, **PERMIT_WORDS, **VALUES}
    return names | {code: str(word) for code, word in words.items()}


def _walk_place(document: Any, path: tuple[str | int, ...]) -> list[str] | None:
    """Name each step of ``path`` through ``document``; None if the path is not in it."""
    words: list[str] = []
    node = document
    for step in path:
        if isinstance(node, list):
            found = _element(node, step)
            if found is None:
                return None
            index, node = found
            words.append(
                _headline(node) or pgettext("catalog field", "item %(n)s") % {"n": index + 1}
            )
        elif isinstance(node, dict) and step in node:
            child = node[step]
            node = child
            if step in SILENT:
                continue
            label = child.get("label") if isinstance(child, dict) else None
            words.append(
                f"“{label}”"
                if label
                else str(FIELDS.get(str(step), pgettext("catalog field", "other details")))
            )
        else:
            return None
    return words


def _element(items: list[Any], step: str | int) -> tuple[int, Any] | None:
    """Find a list's element by its index, or by the code or id the diff keyed it by."""
    if isinstance(step, int):
        return (step, items[step]) if step < len(items) else None
    for index, item in enumerate(items):
        if isinstance(item, dict) and step in (item.get("code"), item.get("id")):
            return index, item
    return None


def _headline(entry: Mapping[str, Any]) -> str:
    """A whole entry in a few words: a regime, an instrument or an article by its title."""
    if "section" in entry and "title" in entry:
        return f"{entry['section']} {entry['title']}"
    if "title" in entry:
        return f"《{entry['title']}》"
    if "article" in entry:
        return str(entry["article"])
    if "code" in entry and "name" in entry:  # a department, a kind of subject or of method
        return str(entry["name"])
    if "type" in entry and "label" in entry:  # a declared field of a kind of subject
        return f"“{entry['label']}”"
    return ""

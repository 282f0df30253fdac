"""Public pages (一公开): open to anyone, without logging in, and showing nothing unpublished.

The draw verifier runs in the visitor's browser (``static/oversight/draw-verify.js``): the file
picked never reaches the server, and the page sets no cookie. Its words come from here, so the
script's problems are said in the visitor's language; each carries verify.py's own line too.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from oversight.core import clock
from oversight.planning import public, verify
from oversight.planning.presentation import task_words
from oversight.web.ratelimit import public_rate_limited
from oversight.web.shortcuts import render

# One sentence per problem the script names (its ``code``), with verify.py's details as
# %(name)s. What the visitor may not understand (a field's name in the file) is shown as such.
PROBLEMS = {
    "not_object": _("The file does not hold a JSON object."),
    "unknown_field": _("The file has a field this verifier does not know: %(field)s."),
    "format": _("This is not a draw file (its format is %(found)s)."),
    "version": _(
        "The file's version %(found)s is not known to this verifier (it reads version 1)."
    ),
    "algorithm": _(
        "The file's method %(found)s is not known to this verifier (it knows es-sha256, version 1)."
    ),
    "kind": _("The kind of draw %(found)s is neither targets nor inspectors."),
    "context_not_string": _("The description of the draw (context) is not a text."),
    "context_too_long": _("The description of the draw (context) is longer than 200 characters."),
    "context_bad_char": _(
        "The description of the draw (context) holds a character that is not allowed (%(char)s)."
    ),
    "context_not_canonical": _(
        "The description of the draw (context) is not in canonical form "
        "(NFC, single spaces, none at either end)."
    ),
    "parameters_shape": _("The parameters must be an object with exactly k and quotas."),
    "k_not_positive": _("The number drawn (k) must be a positive integer."),
    "quotas_shape": _("The quotas must be null or an object of integers."),
    "population_not_list": _("The population is not a list."),
    "member_shape": _(
        "Member %(index)s of the population must be an object with id and weight "
        "(and perhaps stratum and load)."
    ),
    "member_stratum_null": _(
        "Member %(index)s of the population has a stratum of null (it should be left out)."
    ),
    "member_id": _("The id of member %(index)s must be an integer from 0 to 9007199254740991."),
    "member_weight": _("The weight of member %(index)s must be an integer from 1 to 1000."),
    "member_load": _("The load of member %(index)s must be an integer from 0 to 1000000."),
    "member_stratum": _(
        "The stratum of member %(index)s must be 1 to 64 letters, digits, '_', '.' or '-', "
        "the first a letter or a digit."
    ),
    "member_duplicate": _("Member %(index)s: id %(id)s appears more than once."),
    "population_empty": _("The population is empty."),
    "population_more": _("More malformed members are not listed."),
    "population_order": _("The members are not in ascending order of id."),
    "seed_missing": _("The file has no seed: the draw is committed but not made yet."),
    "seed_shape": _("The seed must be an object with value, source, entered_by and entered_at."),
    "seed_value_not_string": _("The seed is not a text."),
    "seed_value_empty": _("The seed is empty."),
    "seed_value_too_long": _("The seed is longer than 200 characters."),
    "seed_value_bad_char": _("The seed holds a character that is not allowed (%(char)s)."),
    "seed_value_not_canonical": _(
        "The seed is not in canonical form (NFC, single spaces, none at either end)."
    ),
    "seed_field": _("The seed's %(field)s must be a text that is not empty."),
    "seed_entered_at": _(
        "When the seed was entered (entered_at) is not an ISO 8601 time with its UTC offset."
    ),
    "commitment_format": _("The commitment is not 64 lowercase hexadecimal digits."),
    "committed_at": _(
        "When the commitment was made (committed_at) is not an ISO 8601 time with its UTC offset."
    ),
    "result_missing": _("The file has no result."),
    "result_not_list": _("The result is not a list."),
    "result_entry": _(
        "Entry %(index)s of the result must be an object with an integer id and a text u."
    ),
    "param_strata_without_quotas": _("The members have strata but the draw has no quotas."),
    "param_k_too_large": _(
        "The number drawn (k) is %(k)s, but the population has %(size)s members."
    ),
    "param_quotas_empty": _("The quotas must name at least one stratum (or be null)."),
    "param_member_without_stratum": _("The draw has quotas but some members have no stratum."),
    "param_stratum_without_quota": _("Stratum %(stratum)s has members but no quota."),
    "param_quota_name": _("The quota %(name)s does not name a stratum."),
    "param_quota_negative": _("The quota of stratum %(stratum)s must be an integer of 0 or more."),
    "param_quota_too_large": _(
        "The quota of stratum %(stratum)s is %(quota)s, but the stratum has %(size)s members."
    ),
    "param_quota_sum": _("The number drawn (k) is %(k)s, but the quotas add up to %(sum)s."),
    "commitment_mismatch": _(
        "The commitment does not match: the file says %(found)s, the population and parameters "
        "give %(expected)s."
    ),
    "seed_before_commitment": _(
        "The seed was entered at or before the commitment; it must come after."
    ),
    "result_count": _("The result lists %(got)s members, but the draw takes %(want)s."),
    "result_duplicate": _("In the result, id %(id)s appears %(times)s times."),
    "result_not_member": _("Entry %(index)s of the result: id %(id)s is not in the population."),
    "result_u": _(
        "Entry %(index)s of the result: the number u of id %(id)s is %(u)s; recomputed, it is "
        "%(expected)s."
    ),
    "result_order": _(
        "The result holds the right members in the wrong order; the draw gives %(expected)s."
    ),
    "result_id": _("Entry %(index)s of the result is id %(id)s; the draw gives %(expected)s."),
    "result_not_drawn": _("Not in the result, though the draw takes them: %(ids)s."),
}

STRINGS = {
    "valid": _("Valid."),
    "valid_means": _(
        "The commitment is the hash of the population and parameters in the file, and the result "
        "is exactly what the method gives for that population and that seed."
    ),
    "invalid": _("Not valid."),
    "invalid_means": _("What differs:"),
    "unreadable": _("The file cannot be read as a draw file (it is not JSON in UTF-8)."),
    "nothing": _("Choose a draw file or paste its contents first."),
    "working": _("Checking…"),
    "recomputed": _("The draw, recomputed in this browser (in order, with each member's number U)"),
    "kinds": {"TARGETS": _("Subjects to check"), "INSPECTORS": _("Inspectors")},
    "fields": {
        "kind": _("Kind of draw"),
        "context": _("For"),
        "k": _("Number drawn"),
        "population": _("Population"),
        "commitment": _("Commitment"),
        "committed_at": _("Committed at"),
        "seed": _("Seed"),
        "source": _("Source of the seed"),
        "entered_by": _("Seed entered by (badge number)"),
        "entered_at": _("Seed entered at"),
    },
}


def _strings(value: object) -> object:
    """The page's words, translated now, as plain JSON for the script."""
    if isinstance(value, dict):
        return {key: _strings(item) for key, item in value.items()}
    return str(value)


@cache
def _verifier_source() -> bytes:
    return Path(verify.__file__).read_bytes()


@require_safe
@public_rate_limited
def draw_verify(request: HttpRequest) -> HttpResponse:
    """Check a draw file in the browser; how to check it with Python instead."""
    return render(
        request,
        "public/draw_verify.html",
        {
            "strings": _strings(STRINGS | {"problems": PROBLEMS}),
            "verifier_sha256": hashlib.sha256(_verifier_source()).hexdigest(),
        },
    )


@require_safe
@public_rate_limited
def draw_verifier_source(request: HttpRequest) -> HttpResponse:
    """verify.py itself, to run anywhere with Python alone (``python verify.py FILE``)."""
    response = HttpResponse(_verifier_source(), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verify.py"'
    return response


@require_safe
@public_rate_limited
def plan_index(request: HttpRequest) -> HttpResponse:
    """The published plans of checks, newest year first, and how to verify a draw."""
    return render(request, "public/plans.html", {"plans": list(public.published_plans())})


@require_safe
@public_rate_limited
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A published plan and the tasks the public may see today; 404 for any other plan."""
    plan = public.published_plan(plan_id)
    today = timezone.localdate(clock.now())
    shown = public.public_tasks(plan, today)
    context = {"plan": plan, "tasks": task_words(shown), "draws": public.public_draws(shown)}
    return render(request, "public/plan.html", context)


@require_safe
@public_rate_limited
def draw_file(request: HttpRequest, draw_id: int) -> HttpResponse:
    """The file of a draw the public may see, to verify it (here or with verify.py)."""
    document = public.public_draw_file(draw_id, timezone.localdate(clock.now()))
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="draw-{int(draw_id)}.json"'
    return response

"""Schemathesis against the WSGI app, as a county inspector, a county leader and a city leader.

Every endpoint, with valid and invalid data, under all of schemathesis' checks: no server error,
only documented statuses, content types and response shapes as documented, invalid data refused,
valid data accepted. It stays in the suite, so every later endpoint is held to it.

Two settings depart from the defaults, on purpose. Valid data may be refused with 422. A 422 here
is a rule of the domain that no schema can state (a code that must follow its parent's, a
qualification date already past, a name that is blank or carries a control character, a
sibling's name taken), always naming the field. And the bearer token is the role under test,
not a parameter to fuzz; a missing or bad token is covered by the access matrix.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from oversight.catalog.services import catalog_load
from oversight.org.services import token_issue

# The suite draws the same cases every run, so CI is repeatable; OVERSIGHT_FUZZ=1 draws new ones
# each run (and OVERSIGHT_FUZZ_EXAMPLES raises the count) for a longer hunt.
FUZZ = bool(os.environ.get("OVERSIGHT_FUZZ"))
ROLES = {
    "county_inspector": "a.inspector",
    "county_leader": "a.leader",
    "city_leader": "city.leader",
}
EXAMPLES = int(os.environ.get("OVERSIGHT_FUZZ_EXAMPLES", "25"))

CONFIG = SchemathesisConfig.from_dict(
    {
        # The token is the role under test; unknown query parameters are ignored, as HTTP
        # servers do, so neither is mutated into "invalid" data.
        "generation": {"with-security-parameters": False, "allow-extra-parameters": False},
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422"]
            }
        },
    }
)


def _run(operation, mode: GenerationMode, headers: dict[str, str]) -> bool:
    """Exercise one operation in one mode; False when it takes no input that could be invalid."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=not FUZZ,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def exercise(case):
        case.call_and_validate(headers=headers)

    try:
        exercise()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise
        return False
    return True


@pytest.fixture
def wsgi_app():
    """The WSGI app, keeping the test's database connection open across requests.

    Django closes connections when a request finishes; the test client stops that for its own
    requests, and schemathesis' WSGI transport needs the same, or the test database closes.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", list(ROLES))
def test_every_endpoint_keeps_its_contract(city, small_catalog, wsgi_app, role):
    catalog_load(actor=None, path=small_catalog)
    _token, raw = token_issue(actor=None, username=ROLES[role])
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app, config=CONFIG)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12  # every endpoint is reached, not an empty schema
    negative = 0
    for operation in operations:
        assert _run(operation, GenerationMode.POSITIVE, headers)
        negative += _run(operation, GenerationMode.NEGATIVE, headers)
    assert negative >= 8  # every operation that takes input was also sent invalid input

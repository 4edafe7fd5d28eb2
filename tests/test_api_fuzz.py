"""Schema-driven fuzz of the whole API (DESIGN, "Tests and checks"): every operation of the
published OpenAPI document gets a few generated requests, valid and invalid, as the platform's
operator (who passes every permission check, so the requests reach the services). No answer is
a server error, and every documented answer conforms to the document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

#: A few examples per operation: the suite runs twice (SQLite, PostgreSQL) in a few minutes.
EXAMPLES = 6


@pytest.fixture
def operator_header(db) -> Iterator[dict[str, str]]:
    from kttc.core import services
    from kttc.core.tests.factories import UserFactory

    operator = UserFactory(is_superuser=True, is_staff=True)
    _token, key = services.api_token_create(user=operator, name="fuzz")
    # As Django's test client does: a request's start and end must not close the test's
    # connection (and with it the transaction the test runs in).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Bearer {key}"}
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.mark.filterwarnings("ignore")
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error_or_breaks_its_schema(case, operator_header):
    response = case.call(headers=operator_header)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

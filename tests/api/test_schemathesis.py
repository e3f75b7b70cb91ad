"""Every operation of the live schema, fuzzed by schemathesis on a seeded database: no server error
and every response as the schema documents it (status code, content type, body, headers).

A bounded number of examples per operation (QINGSHEN_SCHEMATHESIS_EXAMPLES, 8 by default) keeps the
run inside the suite's budget; a write-scope token of the city bureau's staff makes the writes reach
their services rather than stop at authentication."""

import datetime
import json
import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from qingshen.accounts.api_tokens import api_token_create

EXAMPLES = int(os.environ.get("QINGSHEN_SCHEMATHESIS_EXAMPLES", "8"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def _live_schema() -> dict:
    """The schema /api/schema/ serves, generated in-process (no database needed), as JSON data."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


@pytest.fixture
def city_key(world):
    _, key = api_token_create(
        user=world.users["city"],
        name="schemathesis",
        scope="write",
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    return key


@pytest.fixture(autouse=True)  # autouse: the test's own source (Hypothesis's seed) stays as it was
def connection_kept():
    """The WSGI app closes the database connection at each request's start and end
    (close_old_connections); on PostgreSQL that closes the test's own connection inside its
    transaction, so every later query failed. The test client disconnects it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_dict(_live_schema())
schema.app = get_wsgi_application()


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_answers_as_documented(case, world, city_key):
    case.call_and_validate(headers={"Authorization": f"Bearer {city_key}"}, checks=CHECKS)

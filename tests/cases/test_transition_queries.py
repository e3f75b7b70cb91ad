"""A step reads its case once: the query that checks the caller's scope is the one that locks the row."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingshen.cases import services
from qingshen.cases.errors import TransitionRefused
from qingshen.cases.lifecycle import Action, transition_get
from qingshen.cases.models import AuditCase, CaseDeadline

CASE_TABLE = f'FROM "{AuditCase._meta.db_table}"'


def _case_reads(captured) -> list[str]:
    # The counts of the case's cell are rewritten from its cases, grouped (cases.counts): not a read of it.
    return [
        q["sql"]
        for q in captured
        if q["sql"].lstrip().upper().startswith("SELECT")
        and CASE_TABLE in q["sql"]
        and "GROUP BY" not in q["sql"]
    ]


def _is_the_lock(sql: str) -> bool:
    # SQLite has no row locks (it serialises writers); elsewhere the one read is SELECT … FOR UPDATE.
    return connection.vendor == "sqlite" or "FOR UPDATE" in sql


def test_a_withdrawal_checks_scope_once(world):
    """With its upload: the scope used to be asked four times (twice before storing the file, twice again
    in the transition)."""
    with CaptureQueriesContext(connection) as ctx:
        case = services.case_transition_with_upload(
            case_id=world.case_north.pk,
            actor=world.users["city"],
            action=Action.WITHDRAW,
            reason="企业关停",
            upload=ContentFile(b"%PDF-1.4 closure", name="关停.pdf"),
        )
    assert case.state == "withdrawn" and case.documents.filter(kind="withdrawal").exists()
    reads = _case_reads(ctx.captured_queries)
    assert len(reads) == 1, reads
    assert "jurisdiction_path" in reads[0] and _is_the_lock(reads[0])


def test_disclose_reads_its_case_once(world):
    """The disclosure guard works on the locked case: no second read for the listing or the log line."""
    with CaptureQueriesContext(connection) as ctx:
        case = services.disclosure_submit(case_id=world.case_north.pk, actor=world.users["enterprise"])
    assert case.state == "disclosed" and case.disclosure.status == "submitted"
    reads = _case_reads(ctx.captured_queries)
    assert len(reads) == 1, reads
    assert _is_the_lock(reads[0])


def test_a_refusal_naming_the_next_steps_asks_no_more_scope(world):
    """Refused from the wrong state, the message lists what the caller may do now: from the role alone."""
    with CaptureQueriesContext(connection) as ctx, pytest.raises(TransitionRefused) as err:
        services.case_transition(
            case_id=world.case_north.pk, actor=world.users["enterprise"], action=Action.SUBMIT_REPORT
        )
    assert str(transition_get(Action.DISCLOSE).label) in err.value.message
    assert len(_case_reads(ctx.captured_queries)) == 1


def _statements_of_a_disclosure(world) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        case = services.disclosure_submit(case_id=world.case_north.pk, actor=world.users["enterprise"])
    assert case.state == "disclosed"
    return [q["sql"] for q in ctx.captured_queries]


def test_a_disclosure_reads_the_listing_with_the_cells_lock(world):
    """The counts' delta reads the listing's counted fields in the statement that holds the cell (one
    round trip fewer than a read of the listing of its own), besides the lock's join."""
    statements = _statements_of_a_disclosure(world)
    listing_reads = [
        s
        for s in statements
        if s.lstrip().upper().startswith("SELECT") and '"programmes_listing"' in s and CASE_TABLE not in s
    ]
    assert len(listing_reads) == 1 and '"cases_rollupcell"' in listing_reads[0], listing_reads


def test_the_duties_a_step_opens_go_in_one_insert(world):
    """A case made in bulk has no deadline rows yet: its first step writes them in one statement."""
    CaseDeadline.objects.filter(case=world.case_north).delete()
    statements = _statements_of_a_disclosure(world)
    inserts = [s for s in statements if s.lstrip().upper().startswith('INSERT INTO "CASES_CASEDEADLINE"')]
    assert len(inserts) == 1, inserts
    kinds = set(CaseDeadline.objects.filter(case=world.case_north).values_list("kind", flat=True))
    assert {"disclosure", "audit_start", "report"} <= kinds

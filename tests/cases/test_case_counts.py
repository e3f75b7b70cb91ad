"""The case counts per programme and jurisdiction (cases.counts) equal the counts taken from the cases
after every kind of write: lifecycle steps, a group's pass, a history import, the sweep's due dates, a
listing's lead changed; and the dashboard reads them instead of the cases. Run this file on PostgreSQL too."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qingshen.cases import selectors as case_selectors
from qingshen.cases.deadline_bulk import deadlines_recompute_open
from qingshen.cases.models import AuditCase, CaseCount
from qingshen.oversight.models import AccountabilityCount, AccountabilityRecord, Warning, WarningCount
from qingshen.oversight.services import accountability_detect, warnings_record
from qingshen.programmes.history import batches
from qingshen.programmes.models import HistoryBatch
from qingshen.reports.dashboard import dashboard
from qingshen.reviews.models import Review, ReviewCount
from tests import factories as f
from tests.programmes.test_history_import import STATES, history_file, row


def _from_cases(today):
    rows = (
        AuditCase.objects.order_by()
        .values("programme_id", "kind", "jurisdiction_path", "state", "listing__lead_authority")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=case_selectors.is_overdue(today)),
            accepted=Count("pk", filter=Q(accepted_on__isnull=False)),
        )
    )
    return {
        (
            r["programme_id"],
            r["kind"],
            r["jurisdiction_path"],
            r["state"],
            r["listing__lead_authority"] or "",
        ): (
            r["n"],
            r["late"],
            r["accepted"],
        )
        for r in rows
    }


def _from_counts(today):
    rows = (
        CaseCount.objects.order_by()
        .values("cell__programme_id", "cell__case_kind", "jurisdiction_path", "state", "lead_authority")
        .annotate(n=Sum("cases"), late=Sum("cases", filter=Q(due_on__lt=today)), accepted=Sum("accepted"))
    )
    return {
        (
            r["cell__programme_id"],
            r["cell__case_kind"],
            r["jurisdiction_path"],
            r["state"],
            r["lead_authority"],
        ): (
            r["n"],
            r["late"] or 0,
            r["accepted"],
        )
        for r in rows
        if r["n"]
    }


def _grouped(qs, keys, total):
    rows = qs.order_by().values(*keys).annotate(n=total)
    return {tuple(r[k] or "" for k in keys): r["n"] for r in rows if r["n"]}


def _others_consistent():
    """Reviews, warnings and accountability records: their counts equal the rows."""
    review = ("case__programme_id", "case__kind", "case__jurisdiction_path", "case__listing__lead_authority")
    counted = ("cell__programme_id", "cell__case_kind", "jurisdiction_path", "lead_authority")
    assert _grouped(
        Review.objects.filter(status="concluded").annotate(year=ExtractYear("concluded_on")),
        (*review, "kind", "outcome", "year"),
        Count("pk"),
    ) == _grouped(ReviewCount.objects.all(), (*counted, "kind", "outcome", "concluded_year"), Sum("reviews"))
    assert _grouped(
        Warning.objects.filter(case__isnull=False),
        ("programme_id", "case__kind", "jurisdiction_path"),
        Count("pk"),
    ) == _grouped(
        WarningCount.objects.all(), ("programme_id", "case_kind", "jurisdiction_path"), Sum("warnings")
    )
    assert _grouped(
        AccountabilityRecord.objects.filter(case__isnull=False),
        ("case__programme_id", "case__kind", "case__jurisdiction_path", "case__listing__lead_authority"),
        Count("pk"),
    ) == _grouped(
        AccountabilityCount.objects.all(),
        ("cell__programme_id", "cell__case_kind", "jurisdiction_path", "lead_authority"),
        Sum("records"),
    )


def _consistent():
    today = timezone.localdate()
    for day in (today, today + datetime.timedelta(days=400), today + datetime.timedelta(days=3000)):
        assert _from_counts(day) == _from_cases(day), day
    _others_consistent()


def _history_import(world, django_capture_on_commit_callbacks):
    rows = [row(i, **values) for i, (values, _state) in enumerate(STATES)]
    actor = world.users["city"]
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.history_batch_create(
            upload=SimpleUploadedFile("h.xlsx", history_file(rows)), actor=actor
        )
    batch.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        batches.history_batch_commit_request(batch=batch, actor=actor)
    batch.refresh_from_db()
    assert batch.status == HistoryBatch.Status.COMMITTED, batch.errors


def test_counts_follow_every_write(world, django_capture_on_commit_callbacks):
    w = world
    _consistent()
    f.walk(w.case_north, "accepted", city_user=w.users["city"], enterprise_user=w.users["enterprise"])
    _consistent()
    f.walk(w.case_south, "withdrawn", city_user=w.users["city"], enterprise_user=w.users["enterprise_south"])
    _consistent()
    # A listing's grounds edited: its case is led by another department.
    listing = w.case_north.listing
    before = listing.lead_authority
    listing.grounds = ["energy"]
    listing.save()
    assert listing.lead_authority != before
    _consistent()
    _history_import(w, django_capture_on_commit_callbacks)
    _consistent()
    deadlines_recompute_open()
    _consistent()
    # The sweep's warnings and accountability records, a record opened by hand.
    later = timezone.localdate() + datetime.timedelta(days=800)
    assert sum(warnings_record(today=later).values()) > 0
    accountability_detect(today=later)
    AccountabilityRecord.objects.create(case=w.case_south, kind="other", duty="告知", explanation="测试")
    _consistent()
    assert CaseCount.objects.exists() and ReviewCount.objects.exists()
    assert WarningCount.objects.exists() and AccountabilityCount.objects.exists()


def test_a_group_pass_is_counted(world):
    w = world
    f.counted_by_group(w.case_north, city_user=w.users["city"])
    assert AuditCase.objects.filter(state="counted_by_group").exists()
    _consistent()


def test_the_rebuild_rewrites_counts_left_behind(world, django_capture_on_commit_callbacks):
    """A write that bypassed the models (a restore, a raw update) is put right by the command."""
    _history_import(world, django_capture_on_commit_callbacks)
    AuditCase.objects.filter(pk=world.case_north.pk).update(state="withdrawn")
    CaseCount.objects.filter(state="listed").delete()
    ReviewCount.objects.all().delete()
    with pytest.raises(AssertionError):
        _consistent()
    call_command("rebuild_counts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    _consistent()


def test_the_dashboard_reads_the_counts_not_the_cases(world):
    """Its grouped figures come from the counts: the one query left on the case table is the group
    audits' (a few rows), so the dashboard's cost does not grow with the cases of ten years."""
    w = world
    f.walk(w.case_north, "accepted", city_user=w.users["city"], enterprise_user=w.users["enterprise"])
    with CaptureQueriesContext(connection) as ctx:
        board = dashboard(user=w.users["city"])
    assert board.headline.listed == AuditCase.objects.filter(kind="mandatory").count()
    from_cases = [q["sql"] for q in ctx.captured_queries if f'FROM "{AuditCase._meta.db_table}"' in q["sql"]]
    assert len(from_cases) == 1 and "group" in from_cases[0].lower(), from_cases

"""Voluntary audits (自愿审核): registered by an enterprise on no list, a lighter lifecycle with no list
duties, reviewed when it applies, recognised like a mandatory audit; the sweep never warns or opens
accountability on it for the list's deadlines."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from qingshen.cases.acknowledgements import case_acknowledge
from qingshen.cases.kinds import CaseKind
from qingshen.cases.models import AuditCase, CaseDeadline
from qingshen.core.errors import NotFound, Refused
from qingshen.notifications.models import Notification
from qingshen.oversight.models import AccountabilityRecord, Warning
from qingshen.programmes.milestone_cases import milestone_cases_bind
from qingshen.programmes.models import Milestone
from qingshen.programmes.voluntary import voluntary_register
from qingshen.trail.models import Event
from tests import factories as f

VOLUNTARY_PATH = [
    ("submit_report", 0),
    ("apply_evaluation", 0),
    ("accept_evaluation_application", 0),
    ("pass_evaluation", 0),
    ("apply_acceptance", 0),
    ("accept_acceptance_application", 0),
    ("pass_acceptance", 0),
    ("publish_result", 0),
]


@pytest.fixture
def volunteer(world):
    """An enterprise of the north district on no list, with its portal account."""
    ent = f.enterprise(world.north, "北区自愿审核纺织有限公司")
    return f.enterprise_user(ent)


def _walk(case, upto: str, world, user):
    from qingshen.cases.lifecycle import transition_get
    from qingshen.demo.case_walk import walk_case

    actions = [a for a, _ in VOLUNTARY_PATH]
    first = next(i for i, a in enumerate(actions) if case.state in transition_get(a).sources)
    steps = VOLUNTARY_PATH[first : actions.index(upto) + 1]
    return walk_case(
        case,
        steps,
        city_user=world.users["city"],
        enterprise_user=user,
        start=timezone.localdate(),
        level="II",
    )


def test_registration_opens_a_voluntary_case_owing_no_list_duty(world, volunteer):
    case = voluntary_register(actor=volunteer)
    assert case.kind == CaseKind.VOLUNTARY and case.listing_id is None
    assert case.state == "auditing" and case.audit_started_on == timezone.localdate()
    assert case.programme == world.programme  # the city's year holds both accounts
    assert not case.deadlines.exists() and case.next_due_on is None
    assert Event.objects.filter(action="case.voluntary.register", object_id=str(case.pk)).count() == 1
    # Its district and its city hear of it; the other district does not.
    told = set(
        Notification.objects.filter(object_type="cases.auditcase", object_id=str(case.pk)).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"north", "city"}
    # A mandatory case of the same world keeps its list deadlines.
    assert world.case_north.kind == CaseKind.MANDATORY
    assert world.case_north.deadlines.filter(kind="disclosure").exists()


def test_registration_is_refused_when_listed_or_in_progress(world, volunteer):
    listed = world.users["enterprise"]
    with pytest.raises(Refused, match="2026"):
        voluntary_register(actor=listed)
    voluntary_register(actor=volunteer)
    with pytest.raises(Refused):
        voluntary_register(actor=volunteer)  # one open audit at a time
    # Staff and agencies register nothing.
    for role in ("city", "district", "agency"):
        with pytest.raises(NotFound):
            voluntary_register(actor=world.users[role])
    assert AuditCase.objects.filter(kind=CaseKind.VOLUNTARY).count() == 1


def test_a_year_without_a_programme_gets_its_draft_and_counts_stay_apart(world, volunteer):
    from qingshen.programmes.models import Programme

    later = f.enterprise_user(f.enterprise(world.south, "南区自愿审核印染有限公司"))
    case = voluntary_register(actor=later, today=datetime.date(2027, 1, 5))
    again = f.enterprise_user(f.enterprise(world.north, "北区自愿审核造纸有限公司"))
    other = voluntary_register(actor=again, today=datetime.date(2027, 1, 6))
    programme = Programme.objects.get(city=world.city, year=2027)
    assert case.programme == programme == other.programme  # opened once, then reused
    assert programme.list_state == Programme.ListState.DRAFT and not programme.historical
    assert not programme.listings.exists()
    assert Event.objects.filter(action="programme.create", object_id=str(programme.pk)).count() == 1
    assert {c.kind for c in AuditCase.objects.filter(programme=programme)} == {CaseKind.VOLUNTARY}
    # The city still sets up nothing twice: the year's programme is the one it runs its list in.
    from qingshen.programmes import services as programme_services

    with pytest.raises(Refused, match="2027"):
        programme_services.programme_create(city=world.city, year=2027, actor=world.users["city"])


def test_a_refused_registration_opens_no_programme(world):
    from qingshen.programmes.models import Programme

    busy = f.enterprise_user(f.enterprise(world.south))
    voluntary_register(actor=busy)  # this year's, already in progress
    with pytest.raises(Refused):
        voluntary_register(actor=busy, today=datetime.date(2027, 1, 5))
    assert not Programme.objects.filter(city=world.city, year=2027).exists()


def test_the_bureau_of_its_jurisdiction_acknowledges_once(world, volunteer):
    case = voluntary_register(actor=volunteer)
    with pytest.raises(NotFound):
        case_acknowledge(case_id=case.pk, actor=world.users["district_south"])  # not its district
    with pytest.raises(NotFound):
        case_acknowledge(case_id=world.case_north.pk, actor=world.users["district"])  # a mandatory case
    case = case_acknowledge(case_id=case.pk, actor=world.users["district"])
    assert case.acknowledged_on == timezone.localdate() and case.acknowledged_by == world.users["district"]
    with pytest.raises(Refused):
        case_acknowledge(case_id=case.pk, actor=world.users["city"])


def test_the_whole_lifecycle_through_the_review_machinery_is_recognised(world, volunteer):
    case = _walk(voluntary_register(actor=volunteer), "pass_evaluation", world, volunteer)
    assert case.state == "implementing" and case.evaluation_passed_on
    # No acceptance time limit and no organising duty: acceptance comes when the enterprise asks.
    kinds = set(case.deadlines.values_list("kind", flat=True))
    assert kinds == {"evaluation_check", "evaluation_review"}
    assert case.next_due_on is None
    case = _walk(case, "publish_result", world, volunteer)
    assert case.state == "published" and case.level == "II" and case.accepted_on
    assert set(case.reviews.values_list("kind", "outcome")) == {
        ("evaluation", "pass"),
        ("acceptance", "pass"),
    }


def test_sweep_years_later_warns_of_and_opens_nothing_on_a_voluntary_case(world, volunteer):
    case = _walk(voluntary_register(actor=volunteer), "submit_report", world, volunteer)
    milestone = Milestone.objects.create(
        programme=world.programme,
        kind="evaluations_done",
        name="评估完成",
        due_on=timezone.localdate() + datetime.timedelta(days=20),
    )
    milestone_cases_bind(milestone, actor=world.users["city"])
    assert not case.deadlines.filter(milestone__isnull=False).exists()
    assert world.case_north.deadlines.filter(milestone__isnull=False).exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=800), tick=False):
        call_command("sweep", "--force-recompute", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Warning.objects.filter(case=case).exists()
    assert not AccountabilityRecord.objects.filter(case=case).exists()
    assert not CaseDeadline.objects.filter(case=case).exists()
    # The mandatory cases of the same programme were warned and their bureau duties recorded.
    assert Warning.objects.filter(case=world.case_north).exists()
    assert AccountabilityRecord.objects.filter(case=world.case_north).exists()


def test_a_voluntary_application_binds_the_bureau_to_its_time_limits(world, volunteer):
    """Once the enterprise applies, the bureau's check and review limits run as for any application."""
    case = _walk(voluntary_register(actor=volunteer), "apply_evaluation", world, volunteer)
    assert set(case.deadlines.values_list("kind", flat=True)) == {"evaluation_check", "evaluation_review"}
    with time_machine.travel(timezone.now() + datetime.timedelta(days=200), tick=False):
        call_command("sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    kinds = set(AccountabilityRecord.objects.filter(case=case).values_list("deadline__kind", flat=True))
    assert kinds <= {"evaluation_check", "evaluation_review"} and kinds


def test_an_unfinished_voluntary_audit_is_never_carried_onto_a_list(world, volunteer):
    from qingshen.programmes import services as programme_services
    from qingshen.programmes.selectors import carry_over_cases

    case = voluntary_register(actor=volunteer)
    later = programme_services.programme_create(city=world.city, year=2027, actor=world.users["city"])
    carried = set(carry_over_cases(user=world.users["city"], programme=later).values_list("pk", flat=True))
    assert case.pk not in carried and world.case_north.pk in carried

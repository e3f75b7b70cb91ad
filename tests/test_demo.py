from django.core.management import call_command

from qingshen.accounts.models import User
from qingshen.accounts.roles import Role
from qingshen.cases.models import AuditCase
from qingshen.cases.states import State
from qingshen.registry import uscc
from qingshen.registry.models import Enterprise
from qingshen.trail.models import Event


def test_demo_into_an_empty_database_is_complete_and_idempotent(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (
        Enterprise.objects.count(),
        AuditCase.objects.count(),
        User.objects.count(),
        Event.objects.count(),
    )
    assert 55 <= counts[0] <= 70
    assert all(uscc.is_valid(code) for code in Enterprise.objects.values_list("uscc", flat=True))
    assert set(AuditCase.objects.values_list("state", flat=True)) == set(State.values)
    for role in Role.values:
        assert User.objects.filter(role=role, username=role).exists(), role
    assert Enterprise.objects.filter(jurisdiction__is_functional_zone=True).exists()
    # Reviews went through panels: opinions issued, and the demo expert is invited to chair a panel.
    from qingshen.reviews.models import PanelSeat, Review

    assert Review.objects.filter(outcome="pass", kind="acceptance").exists()
    assert AuditCase.objects.filter(documents__kind="opinion").exists()
    assert PanelSeat.objects.filter(expert__user__username="expert", status="invited", is_chair=True).exists()
    # A batch evaluation meeting (集中评估) is on the calendar with the city's accepted applications.
    from qingshen.reviews.meeting_models import ReviewMeeting

    assert ReviewMeeting.objects.filter(status="open", kind="evaluation", cases__isnull=False).exists()
    # A 直辖市-like city: the city confirmed its own list, with no province step (issue 15).
    from qingshen.programmes.models import Programme
    from qingshen.registry.bureaus import is_province_level

    programme = Programme.objects.get(year=2025)
    assert is_province_level(programme.city) and programme.list_state == "published"
    steps = set(
        Event.objects.filter(object_id=str(programme.pk), action__startswith="programme.").values_list(
            "action", flat=True
        )
    )
    assert "programme.city_confirm" in steps and not steps & {"programme.submit", "programme.confirm"}
    # Most enterprises hold a permit in force and have filed the annual disclosures already due, so
    # the sweep's permit and late-disclosure warnings are a few, not one for every enterprise.
    from qingshen.cases.models import AnnualDisclosure
    from qingshen.registry.permit_models import Permit

    assert Permit.objects.count() >= 0.8 * counts[0]
    filed = AnnualDisclosure.objects.filter(status="submitted").values("case").distinct().count()
    assert filed >= 0.8 * AuditCase.objects.exclude(listing=None).count()
    call_command("sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from qingshen.oversight.models import PermitWarning

    assert 0 < PermitWarning.objects.count() <= 5
    counts = (
        Enterprise.objects.count(),
        AuditCase.objects.count(),
        User.objects.count(),
        Event.objects.count(),
    )
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts == (
        Enterprise.objects.count(),
        AuditCase.objects.count(),
        User.objects.count(),
        Event.objects.count(),
    )


def test_demo_can_relax_the_second_factor_for_a_local_demo(db):
    from qingshen.accounts.parameters import cache_clear, param

    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    cache_clear()
    assert "city" in param("otp_required_roles")
    call_command("demo", "--no-second-factor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    cache_clear()
    assert param("otp_required_roles") == frozenset()
    assert Event.objects.filter(action="security.parameter.set", actor__username="security").exists()

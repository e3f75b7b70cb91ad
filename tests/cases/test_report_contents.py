"""The audit report is submitted with its audit focus (审核重点) and at least one target (清洁生产目标):
refused with a clear message otherwise, by the service and on the case page, with nothing changed."""

import pytest
from django.urls import reverse
from django.utils import translation

from qingshen.cases import services, targets
from qingshen.cases.errors import TransitionRefused
from qingshen.cases.lifecycle import Action
from qingshen.cases.models import AuditCase
from qingshen.trail.models import Event
from tests import factories as f

pytestmark = pytest.mark.django_db


def _auditing(world):
    return f.walk(
        world.case_north, "auditing", city_user=world.users["city"], enterprise_user=world.users["enterprise"]
    )


def _submit(world, case):
    return services.case_transition(
        case_id=case.pk, actor=world.users["enterprise"], action=Action.SUBMIT_REPORT
    )


def test_submit_refused_without_focus_or_target_then_taken(world):
    case = _auditing(world)
    events = Event.objects.count()
    with translation.override("en"), pytest.raises(TransitionRefused) as err:
        _submit(world, case)
    assert "audit focus" in err.value.message and "target" in err.value.message
    assert AuditCase.objects.get(pk=case.pk).state == "auditing" and Event.objects.count() == events
    targets.audit_focus_save(case=case, actor=world.users["enterprise"], text="电镀车间")
    with translation.override("en"), pytest.raises(TransitionRefused) as err:
        _submit(world, case)
    assert "target" in err.value.message and "audit focus" not in err.value.message
    f.report_ready(case, world.users["enterprise"])
    assert _submit(world, case).state == "report_submitted"


def test_a_withdrawn_target_does_not_count(world):
    case = _auditing(world)
    f.report_ready(case, world.users["enterprise"])
    target = case.targets.get()
    targets.target_withdraw(case=case, actor=world.users["enterprise"], target_id=target.pk)
    with pytest.raises(TransitionRefused):
        _submit(world, case)


def test_the_case_page_shows_the_refusal(world, client_for):
    case = _auditing(world)
    client = client_for(world.users["enterprise"])
    response = client.post(
        reverse("case-transition", args=[case.pk]),
        {"action": "submit_report", "version": AuditCase.objects.get(pk=case.pk).version},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200 and "审核重点" in page and "清洁生产目标" in page
    assert AuditCase.objects.get(pk=case.pk).state == "auditing"

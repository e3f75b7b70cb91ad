import pytest

from qingshen.cases import services
from qingshen.cases.errors import TransitionRefused
from qingshen.trail.models import AppendOnlyError, Event


def test_events_cannot_be_changed_or_deleted(world):
    event = Event.objects.first()
    event.note = "edited"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.all().update(note="x")
    with pytest.raises(AppendOnlyError):
        Event.objects.all().delete()


def test_transition_event_records_who_what_and_before_after(world, rf):
    from qingshen.trail.context import current_client_ip

    token = current_client_ip.set("10.1.2.3")
    try:
        services.case_transition(
            case_id=world.case_north.pk,
            actor=world.users["enterprise"],
            action="disclose",
            comment="官网已公开",
        )
    finally:
        current_client_ip.reset(token)
    event = Event.objects.filter(action="case.transition.disclose").get()
    assert event.actor == world.users["enterprise"] and event.actor_name == "ent"
    assert event.client_ip == "10.1.2.3"
    assert event.object_type == "cases.auditcase" and event.object_id == str(world.case_north.pk)
    assert event.before["state"] == "listed" and event.after["state"] == "disclosed"
    assert event.note == "官网已公开" and event.result == "success"


def test_event_is_in_the_same_transaction_as_the_change(world, monkeypatch):
    """If writing the event fails, the transition does not happen either."""
    import qingshen.cases.services as case_services

    def broken(**kwargs):
        raise RuntimeError("log unavailable")

    monkeypatch.setattr(case_services, "event_record", broken)
    with pytest.raises(RuntimeError):
        case_services.case_transition(
            case_id=world.case_north.pk, actor=world.users["enterprise"], action="disclose"
        )
    world.case_north.refresh_from_db()
    assert world.case_north.state == "listed"


def test_a_refused_transition_writes_nothing(world):
    count = Event.objects.count()
    with pytest.raises(TransitionRefused):
        services.case_transition(
            case_id=world.case_north.pk, actor=world.users["enterprise"], action="apply_acceptance"
        )
    assert Event.objects.count() == count


def test_auditor_reads_the_log(world, client_for):
    from django.urls import reverse

    page = client_for(world.users["auditor"]).get(reverse("event-list"), {"action": "programme"})
    assert page.status_code == 200
    assert "programme.publish" in page.content.decode()

"""The list's workflow as a table (programmes.lists): every row is well formed and logged with a label,
and the one executor refuses a step from a wrong state with a clear message, changing nothing."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone, translation

from qingshen.programmes import listings, lists, services
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import DistrictProposal, Programme
from qingshen.programmes.signals import list_published
from qingshen.trail.labels import action_label
from qingshen.trail.models import Event
from tests import factories as f


@pytest.fixture
def draft(world):
    programme = services.programme_create(city=world.city, year=2027, actor=world.users["city"])
    listings.listing_add(
        programme=programme,
        enterprise=f.enterprise(world.north),
        grounds=["emissions"],
        actor=world.users["district"],
    )
    return programme


@pytest.fixture
def published_signals():
    sent = []

    def receiver(sender, programme, actor, **kwargs):
        sent.append((programme.pk, actor.pk))

    list_published.connect(receiver, dispatch_uid="test-lists-published")
    yield sent
    list_published.disconnect(dispatch_uid="test-lists-published")


def _snapshot(programme):
    row = Programme.objects.get(pk=programme.pk)
    return {
        "list_state": row.list_state,
        "return_comment": row.return_comment,
        "published_on": row.published_on,
        "published_by": row.published_by_id,
        "proposals": sorted(programme.proposals.values_list("district_id", "status", "comment")),
        "events": Event.objects.count(),
        "cases": programme.cases.count(),
    }


# --- the table -------------------------------------------------------------------------------------


@pytest.mark.parametrize("transition", lists.TRANSITIONS, ids=lambda t: t.name)
def test_every_row_names_real_states_and_fields(transition):
    model = Programme if transition.subject == lists.LIST else DistrictProposal
    states = Programme.ListState if transition.subject == lists.LIST else DistrictProposal.Status
    assert transition.sources and set(transition.sources) <= set(states.values)
    assert transition.target in states.values and transition.target not in transition.sources
    assert transition.roles
    fields = {f.name for f in model._meta.get_fields()}
    assert {name for name, _source in transition.sets} <= fields
    assert {source for _name, source in transition.sets} <= {
        lists.ACTOR,
        lists.NOW,
        lists.DAY,
        lists.COMMENT,
        lists.CLEAR,
    }
    if transition.subject == lists.PROPOSAL:
        assert transition.list_states and set(transition.list_states) <= set(Programme.ListState.values)
    assert lists.transition_get(transition.name) is transition


@pytest.mark.parametrize("transition", lists.TRANSITIONS, ids=lambda t: t.name)
def test_every_row_has_a_log_label_in_english_and_chinese(transition):
    action = f"programme.{transition.name}"
    with translation.override("en"):
        english = action_label(action)
    with translation.override("zh-hans"):
        chinese = action_label(action)
    assert english != action, f"{action} has no label in programmes/labels.py"
    assert chinese != english and not chinese.isascii()
    with translation.override("zh-hans"):
        assert not str(transition.label).isascii() and not str(transition.refusal).isascii()


def test_the_executor_logs_each_step_under_its_row(world, draft):
    city, province, north = world.users["city"], world.users["province"], world.users["district"]
    lists.list_transition(programme=draft, name="proposal.submit", district=world.north, actor=north)
    lists.list_transition(
        programme=draft, name="proposal.return", district=world.north, actor=city, comment="x"
    )
    lists.list_transition(programme=draft, name="proposal.submit", district=world.north, actor=north)
    lists.list_transition(programme=draft, name="submit", actor=city)
    lists.list_transition(programme=draft, name="return", actor=province, comment="y")
    lists.list_transition(programme=draft, name="submit", actor=city)
    lists.list_transition(programme=draft, name="confirm", actor=province)
    lists.list_transition(programme=draft, name="publish", actor=city)
    logged = set(Event.objects.filter(action__startswith="programme.").values_list("action", flat=True))
    # Every row of a prefecture-level city's workflow (the 直辖市 row is logged in test_municipality).
    assert {f"programme.{t.name}" for t in lists.transitions_for(draft)} <= logged
    event = Event.objects.filter(action="programme.return").get()
    assert event.before == {"list_state": "submitted"} and event.after == {"list_state": "draft"}
    assert event.note == "y"


# --- the executor's refusals -----------------------------------------------------------------------


def test_a_step_from_a_wrong_state_is_refused_clearly_and_changes_nothing(world, draft, published_signals):
    city = world.users["city"]
    before = _snapshot(draft)
    with translation.override("en"), pytest.raises(ProgrammeError) as refused:
        lists.list_transition(programme=draft, name="publish", actor=city, published_on=timezone.localdate())
    assert refused.value.message == (
        "“Publish the list” is possible only while the list is “Confirmed”; "
        "it is “Draft (districts propose)” now."
    )
    with translation.override("en"), pytest.raises(ProgrammeError) as refused:
        lists.list_transition(programme=draft, name="confirm", actor=world.users["province"])
    assert "“Submitted to the province”" in refused.value.message
    assert _snapshot(draft) == before and published_signals == []


def test_a_proposal_step_from_a_wrong_state_is_refused_and_leaves_no_proposal(world, draft):
    before = _snapshot(draft)
    with translation.override("en"), pytest.raises(ProgrammeError) as refused:
        lists.list_transition(
            programme=draft,
            name="proposal.return",
            district=world.north,
            actor=world.users["city"],
            comment="请补充",
        )
    assert refused.value.message == (
        "“Return to the district” is possible only while the proposal is “Submitted to the city”; "
        "it is “Being prepared by the district” now."
    )
    # The proposal row the executor locked for the check is rolled back with the refusal.
    assert _snapshot(draft) == before and not DistrictProposal.objects.filter(programme=draft).exists()


def test_a_proposal_moves_only_while_the_list_is_a_draft(world, draft):
    city = world.users["city"]
    lists.list_transition(programme=draft, name="submit", actor=city)
    before = _snapshot(draft)
    with translation.override("en"), pytest.raises(ProgrammeError) as refused:
        lists.list_transition(
            programme=draft, name="proposal.submit", district=world.north, actor=world.users["district"]
        )
    assert "while the list is “Draft (districts propose)”" in refused.value.message
    assert _snapshot(draft) == before


def test_a_step_sent_twice_applies_once(world, draft):
    city = world.users["city"]
    lists.list_transition(programme=draft, name="submit", actor=city)
    with pytest.raises(ProgrammeError):
        lists.list_transition(programme=draft, name="submit", actor=city)
    assert Event.objects.filter(action="programme.submit", object_id=str(draft.pk)).count() == 1


def test_the_role_and_the_jurisdiction_are_checked_once_with_the_rows_message(world, draft):
    city = world.users["city"]
    lists.list_transition(programme=draft, name="submit", actor=city)
    before = _snapshot(draft)
    other = f.jurisdiction("另一省", "province", code="510000")
    for actor in (city, world.users["district"], f.user("prov2", "province", jurisdiction=other)):
        with translation.override("en"), pytest.raises(ProgrammeError) as refused:
            lists.list_transition(programme=draft, name="confirm", actor=actor)
        assert refused.value.message == "Only the province bureau may confirm a list submitted to it."
    assert _snapshot(draft) == before


def test_a_comment_step_needs_its_comment(world, draft):
    lists.list_transition(programme=draft, name="submit", actor=world.users["city"])
    before = _snapshot(draft)
    with translation.override("en"), pytest.raises(ProgrammeError) as refused:
        lists.list_transition(programme=draft, name="return", actor=world.users["province"], comment="  ")
    assert refused.value.message == "Say what the city should change."
    assert _snapshot(draft) == before


def test_an_unknown_step_is_refused(world, draft):
    with translation.override("en"), pytest.raises(ProgrammeError, match="Unknown step"):
        lists.list_transition(programme=draft, name="approve", actor=world.users["city"])


def test_publication_sets_the_rows_fields_and_sends_list_published_once(world, draft, published_signals):
    city = world.users["city"]
    f.confirm_list(draft, city_user=city, province_user=world.users["province"])
    day = timezone.localdate()
    lists.list_transition(programme=draft, name="publish", actor=city, published_on=day)
    draft.refresh_from_db()
    assert (draft.list_state, draft.published_on, draft.published_by) == ("published", day, city)
    assert published_signals == [(draft.pk, city.pk)] and draft.cases.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["publish", "proposal.submit"])
def test_the_same_step_sent_at_once_applies_once(seeded_data, world, name):
    """The executor locks the programme row: racing senders find the new state and are refused."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers (IMMEDIATE transactions)")
    city = world.users["city"]
    programme = services.programme_create(city=world.city, year=2027, actor=city)
    listings.listing_add(
        programme=programme, enterprise=f.enterprise(world.north), grounds=["emissions"], actor=city
    )
    if name == "publish":
        f.confirm_list(programme, city_user=city, province_user=world.users["province"])
        kwargs = {"actor": city}
    else:
        kwargs = {"actor": world.users["district"], "district": world.north}
    racers = 4
    barrier = threading.Barrier(racers)
    outcomes: list[str] = []
    lock = threading.Lock()

    def send():
        try:
            barrier.wait()
            lists.list_transition(programme=programme, name=name, **kwargs)
            result = "applied"
        except ProgrammeError:
            result = "refused"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=send) for _ in range(racers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["applied"] + ["refused"] * (racers - 1)
    assert (
        Event.objects.filter(action=f"programme.{name}").exclude(object_id=str(world.programme.pk)).count()
        == 1
    )
    assert programme.cases.count() == (1 if name == "publish" else 0)

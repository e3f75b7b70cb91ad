"""Every transition allowed and refused, per role and per state (design.md §3)."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from qingshen.accounts.roles import Role
from qingshen.cases import services
from qingshen.cases.errors import CaseNotFound, TransitionRefused
from qingshen.cases.lifecycle import TRANSITIONS, Action, ReviewStep, transition_get
from qingshen.cases.models import AuditCase
from qingshen.cases.states import State
from qingshen.trail.models import Event
from tests import factories as f

# A reachable state for every state of the machine, by the path that reaches it.
STATES = [s.value for s in State]


def _actor_for(world, role):
    return {
        Role.ENTERPRISE: world.users["enterprise"],
        Role.CITY: world.users["city"],
        Role.PROVINCE: world.users["province"],
        Role.DISTRICT: world.users["district"],
        Role.SUPERVISOR: world.users["supervisor"],
        Role.AGENCY: world.users["agency"],
        Role.EXPERT: world.users["expert"],
        Role.AUDITOR: world.users["auditor"],
        Role.SECURITY: world.users["security"],
        Role.SYSADMIN: world.users["sysadmin"],
    }[role]


def _case_in(world, state):
    if state == State.COUNTED_BY_GROUP:
        return f.counted_by_group(world.case_north, city_user=world.users["city"])
    case = f.walk(
        world.case_north, state, city_user=world.users["city"], enterprise_user=world.users["enterprise"]
    )
    if state == State.AUDITING:
        f.report_ready(case, world.users["enterprise"])  # the report goes with its focus and a target
    return case


def _kwargs_for(transition, case, actor):
    kwargs = {"case_id": case.pk, "actor": actor, "action": transition.action}
    if transition.needs_reason:
        kwargs["reason"] = "理由"
    if transition.needs_level:
        kwargs["level"] = "I"
    return kwargs


def _conclude(world, transition, case):
    """Pass/fail come only from a panel's conclusion confirmed by its chair (reviews services)."""
    from qingshen.demo import walk

    kind, outcome = transition.review
    review = walk.panel_conclude(
        review=walk.open_review(case, kind),
        passed=outcome == ReviewStep.PASS,
        city_user=world.users["city"],
        day=case.published_on,
        level="I",
    )
    return AuditCase.objects.get(pk=case.pk), review.confirmed_by


def _run(transition, case, actor):
    kwargs = _kwargs_for(transition, case, actor)
    if transition.needs_document:
        return services.case_transition_with_upload(
            upload=ContentFile(b"%PDF-1.4 x", name="x.pdf"), document_kind="withdrawal", **kwargs
        )
    return services.case_transition(**kwargs)


# A row no role takes by hand (count_by_group: a passing group's effect takes it) is walked in
# tests/cases/test_groups.py.
ALLOWED = [(t.action, source) for t in TRANSITIONS if t.roles for source in sorted(t.sources)]


@pytest.mark.parametrize(("action", "source"), ALLOWED)
def test_each_allowed_transition_moves_the_case_and_logs_it(world, action, source):
    transition = transition_get(action)
    case = _case_in(world, source)
    role = sorted(transition.roles)[0]
    if role == Role.AGENCY:
        role = Role.ENTERPRISE
    actor = _actor_for(world, role)
    events_before = Event.objects.filter(action=f"case.transition.{action}").count()
    if transition.needs_conclusion:
        moved, actor = _conclude(world, transition, case)
    else:
        moved = _run(transition, case, actor)
    assert moved.state == transition.target
    assert moved.version == case.version + 1
    for field in transition.stamps:
        assert getattr(moved, field) is not None
    assert Event.objects.filter(action=f"case.transition.{action}").count() == events_before + 1
    event = Event.objects.filter(action=f"case.transition.{action}").latest("id")
    assert event.before["state"] == source and event.after["state"] == transition.target
    assert event.actor == actor


ROLE_MATRIX = [(t.action, role.value) for t in TRANSITIONS for role in Role]


@pytest.mark.parametrize(("action", "role"), ROLE_MATRIX)
def test_roles_per_transition(world, action, role):
    """From a state where the action is possible, only the transition's roles may take it."""
    transition = transition_get(action)
    source = sorted(transition.sources)[0]
    case = _case_in(world, source)
    if role == Role.AGENCY:
        from qingshen.cases.models import Delegation

        Delegation.objects.create(
            case=case, agency=world.agency, starts_on=case.published_on, created_by=world.users["enterprise"]
        )
    actor = _actor_for(world, role)
    if role in transition.roles and not transition.needs_conclusion:
        assert _run(transition, case, actor).state == transition.target
        return
    sees_case = role in {
        Role.PROVINCE,
        Role.CITY,
        Role.DISTRICT,
        Role.SUPERVISOR,
        Role.ENTERPRISE,
        Role.AGENCY,
    }
    with pytest.raises(TransitionRefused if sees_case else CaseNotFound):
        _run(transition, case, actor)
    case.refresh_from_db()
    assert case.state == source


REFUSED = [(t.action, s) for t in TRANSITIONS for s in STATES if s not in t.sources]


@pytest.mark.parametrize(("action", "state"), REFUSED)
def test_each_transition_refused_from_other_states(world, action, state):
    transition = transition_get(action)
    case = _case_in(world, state)
    actor = _actor_for(world, Role.CITY if Role.CITY in transition.roles else Role.ENTERPRISE)
    version, events = case.version, Event.objects.count()
    with pytest.raises(TransitionRefused) as err:
        _run(transition, case, actor)
    # The message names the current state.
    assert str(State(state).label) in err.value.message
    case.refresh_from_db()
    assert (case.state, case.version) == (state, version)
    assert Event.objects.count() == events


def test_refusal_names_the_allowed_next_steps(world):
    case = world.case_north
    with pytest.raises(TransitionRefused) as err:
        services.case_transition(
            case_id=case.pk, actor=world.users["enterprise"], action=Action.SUBMIT_REPORT
        )
    assert str(transition_get(Action.DISCLOSE).label) in err.value.message


@pytest.mark.parametrize(
    "action", [Action.REFUSE_EVALUATION_APPLICATION, Action.FAIL_EVALUATION, Action.WITHDRAW]
)
def test_reason_is_required(world, action):
    transition = transition_get(action)
    case = _case_in(world, sorted(transition.sources)[0] if action != Action.WITHDRAW else "auditing")
    with pytest.raises(TransitionRefused):
        services.case_transition(case_id=case.pk, actor=world.users["city"], action=action, reason="  ")


def test_withdrawal_needs_a_document_of_this_case(world):
    with pytest.raises(TransitionRefused):
        services.case_transition(
            case_id=world.case_north.pk, actor=world.users["city"], action=Action.WITHDRAW, reason="关停"
        )
    assert AuditCase.objects.get(pk=world.case_north.pk).state == State.LISTED


def test_withdrawal_stores_the_document_and_closes_deadlines(world):
    case = services.case_transition_with_upload(
        case_id=world.case_north.pk,
        actor=world.users["city"],
        action=Action.WITHDRAW,
        reason="企业关停",
        upload=ContentFile(b"%PDF-1.4 closure", name="关停.pdf"),
        document_kind="withdrawal",
    )
    assert case.state == State.WITHDRAWN and case.withdrawn_reason == "企业关停"
    doc = case.documents.get(kind="withdrawal")
    assert doc.kind == "withdrawal" and doc.original_name == "关停.pdf"
    assert not case.deadlines.filter(status="open").exists()
    assert case.next_due_on is None


def test_refused_withdrawal_leaves_no_document_or_file(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(TransitionRefused):
        services.case_transition_with_upload(
            case_id=world.case_north.pk,
            actor=world.users["city"],
            action=Action.WITHDRAW,
            reason="",
            upload=ContentFile(b"%PDF-1.4 closure", name="a.pdf"),
            document_kind="withdrawal",
        )
    assert not world.case_north.documents.filter(kind="withdrawal").exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_acceptance_needs_a_level(world):
    from qingshen.demo import walk
    from qingshen.reviews.errors import ReviewRefused
    from qingshen.reviews.services.conclusion import review_confirm

    case = _case_in(world, "accepting")
    review = walk.open_review(case, "acceptance")
    with pytest.raises(ReviewRefused):
        walk.panel_conclude(
            review=review, passed=True, city_user=world.users["city"], day=case.published_on, level="IV"
        )
    assert AuditCase.objects.get(pk=case.pk).state == "accepting"
    chair = review.panel.seats.get(is_chair=True).expert.user
    review_confirm(review_id=review.pk, actor=chair, level="III", render_opinions=False)
    moved = AuditCase.objects.get(pk=case.pk)
    assert moved.level == "III" and moved.accepted_on is not None


@pytest.mark.parametrize(
    "action", [Action.PASS_EVALUATION, Action.FAIL_EVALUATION, Action.PASS_ACCEPTANCE, Action.FAIL_ACCEPTANCE]
)
@pytest.mark.parametrize("role", [Role.CITY, Role.PROVINCE])
def test_nobody_passes_or_fails_by_hand(world, action, role):
    """Without the panel's confirmed conclusion, pass/fail is refused for the bureau too."""
    transition = transition_get(action)
    case = _case_in(world, sorted(transition.sources)[0])
    with pytest.raises(TransitionRefused):
        services.case_transition(
            case_id=case.pk, actor=_actor_for(world, role), action=action, reason="理由", level="I"
        )
    assert AuditCase.objects.get(pk=case.pk).state == case.state


def test_stale_version_is_refused(world):
    case = world.case_north
    services.case_transition(
        case_id=case.pk,
        actor=world.users["enterprise"],
        action=Action.DISCLOSE,
        expected_version=case.version,
    )
    with pytest.raises(TransitionRefused):
        services.case_transition(
            case_id=case.pk,
            actor=world.users["enterprise"],
            action=Action.START_AUDIT,
            expected_version=case.version,
        )


def test_same_transition_twice_applies_once(world):
    kwargs = {"case_id": world.case_north.pk, "actor": world.users["enterprise"], "action": "disclose"}
    services.case_transition(**kwargs)
    with pytest.raises(TransitionRefused):
        services.case_transition(**kwargs)
    assert Event.objects.filter(action="case.transition.disclose").count() == 1


def test_step_dates_cannot_be_in_the_future_or_before_p(world):
    import datetime

    case = world.case_north
    for day in (
        timezone.localdate() + datetime.timedelta(days=1),
        case.published_on - datetime.timedelta(days=1),
    ):
        with pytest.raises(TransitionRefused):
            services.case_transition(
                case_id=case.pk, actor=world.users["enterprise"], action=Action.DISCLOSE, effective_on=day
            )


def test_unknown_action_is_refused(world):
    with pytest.raises(TransitionRefused):
        services.case_transition(case_id=world.case_north.pk, actor=world.users["city"], action="teleport")


def test_cases_are_never_hard_deleted(world):
    from qingshen.cases.models import HardDeleteRefused

    with pytest.raises(HardDeleteRefused):
        world.case_north.delete()


def test_full_round_from_listed_to_published(world):
    case = _case_in(world, "published")
    assert case.state == State.PUBLISHED
    actions = list(
        Event.objects.filter(object_id=str(case.pk), action__startswith="case.transition.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[0] == "case.transition.disclose" and actions[-1] == "case.transition.publish_result"
    assert len(actions) == 10


def _tree(module: str):
    import ast
    from pathlib import Path

    import qingshen

    return ast.parse((Path(qingshen.__file__).parent / "cases" / f"{module}.py").read_text(encoding="utf-8"))


def test_the_executor_has_no_branch_per_action():
    """What a step requires and writes is on its row: services compares no action with a name."""
    import ast

    names = set(Action)
    offenders = []
    for node in ast.walk(_tree("services")):
        if isinstance(node, ast.Compare):
            for operand in [node.left, *node.comparators]:
                if isinstance(operand, ast.Constant) and operand.value in names:
                    offenders.append(node.lineno)
                if isinstance(operand, ast.Attribute) and getattr(operand.value, "id", "") == "Action":
                    offenders.append(node.lineno)
    assert offenders == []


def test_disclosures_and_services_do_not_import_each_other():
    """The disclose guard sits on the table; neither module reaches for the other, not even inline."""
    import ast

    def imported(module):
        tree = _tree(module)
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
        return found

    assert "qingshen.cases.disclosures" not in imported("services")
    assert "qingshen.cases.services" not in imported("disclosures")

"""Writes on audit cases. `case_transition` is the only code that changes a case's state: it executes
the rows of the lifecycle table (lifecycle.py) and has no branch of its own per action."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.accounts.roles import Authority
from qingshen.cases import scoping
from qingshen.cases.case_lock import case_locked_for
from qingshen.cases.counts import case_counts_refresh_for
from qingshen.cases.deadline_rows import deadline_rows_insert
from qingshen.cases.deadlines import deadlines_of_new_cases, deadlines_recompute
from qingshen.cases.documents import document_store
from qingshen.cases.errors import CaseNotFound, StaleVersion, TransitionRefused
from qingshen.cases.guards import Step
from qingshen.cases.kinds import CaseKind
from qingshen.cases.lifecycle import Action, Transition, transition_get, transitions_from
from qingshen.cases.models import AuditCase, Delegation, Document
from qingshen.cases.states import CLOSED_STATES, State
from qingshen.core.files.stored import removed_on_failure
from qingshen.procedures.workcalendar import WorkCalendar
from qingshen.trail.services import event_record, events_record_many

SNAPSHOT_FIELDS = ("state", "version", "level", "next_due_on", "next_due_kind", "withdrawn_reason")


def _snapshot(case: AuditCase, fields=SNAPSHOT_FIELDS) -> dict:
    return {f: getattr(case, f) for f in fields}


def case_create_for_listing(
    *,
    listing,
    published_on: datetime.date,
    calendar: WorkCalendar | None = None,
    actor=None,
    kind: str = CaseKind.MANDATORY,
    ensure_account: bool = True,
) -> AuditCase:
    """A new case in state `listed`, its clock starting at P. Called when a list is published (and for
    a group audit's lead, with kind `group`)."""
    case = AuditCase.objects.create(
        kind=kind,
        programme=listing.programme,
        listing=listing,
        enterprise=listing.enterprise,
        jurisdiction=listing.enterprise.jurisdiction,
        published_on=published_on,
    )
    deadlines_recompute(case, calendar=calendar)
    case.save(update_fields=["next_due_on", "next_due_kind"])
    event_record(action="case.create", actor=actor, obj=case, after={**_snapshot(case), "kind": case.kind})
    # The listed enterprise gets its account and a first-login invitation (a group's lead may go without:
    # the bureau or a member's agency can run the group's file).
    if ensure_account:
        from qingshen.accounts.invitations import enterprise_account_ensure

        enterprise_account_ensure(enterprise=listing.enterprise, actor=actor)
    return case


@transaction.atomic
def case_create_voluntary(
    *, programme_id: int, enterprise, actor, registered_on: datetime.date | None = None
) -> AuditCase:
    """A voluntary audit (自愿审核) the enterprise registered itself: no listing, no disclosure, already
    auditing. Its clock starts on the day of registration and it owes none of the list's duties
    (cases.kinds.LISTED_KINDS); the reviews happen when it applies. Called by programmes, which finds the
    programme (the city's year) and checks the enterprise is on no list."""
    from qingshen.registry.models import Enterprise

    day = registered_on or timezone.localdate()
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if AuditCase.objects.filter(enterprise=locked).exclude(state__in=sorted(CLOSED_STATES)).exists():
        raise TransitionRefused(
            _("Your enterprise already has an audit case in progress; finish it before registering another.")
        )
    case = AuditCase.objects.create(
        programme_id=programme_id,
        listing=None,
        kind=CaseKind.VOLUNTARY,
        enterprise=locked,
        jurisdiction=locked.jurisdiction,
        published_on=day,
        state=State.AUDITING,
        audit_started_on=day,
    )
    deadlines_recompute(case)
    case.save(update_fields=["next_due_on", "next_due_kind"])
    event_record(
        action="case.voluntary.register", actor=actor, obj=case, after={**_snapshot(case), "kind": case.kind}
    )
    return case


def actions_for(user, case: AuditCase) -> list[Transition]:
    """The transitions this user may take on this case now (for buttons), the case being one drawn from
    cases_visible(user). Review steps have their own pages."""
    return [
        t
        for t in transitions_from(case.state)
        if not t.via_review and scoping.may_take_on_visible_case(user, t, case)
    ]


def _refuse_not_allowed(case: AuditCase, action: str, user) -> TransitionRefused:
    allowed = [str(t.label) for t in actions_for(user, case)]
    state = State(case.state).label
    if allowed:
        return TransitionRefused(
            _("“%(action)s” is not possible while the case is “%(state)s”. You may now: %(allowed)s.")
            % {"action": action, "state": state, "allowed": "、".join(allowed)}
        )
    return TransitionRefused(
        _("“%(action)s” is not possible while the case is “%(state)s”, and nothing is yours to do now.")
        % {"action": action, "state": state}
    )


def _case_locked(*, case_id: int, actor) -> AuditCase:
    """The case if the actor may see it, its row locked for the rest of the transaction: the one scope
    check of a step (what follows asks only the actor's role)."""
    case = case_locked_for(actor, case_id)
    if case is None:
        raise CaseNotFound()
    return case


def _transition_allowed(
    case: AuditCase, action: str, actor, expected_version: int | None = None
) -> Transition:
    """The checks every step has before its row's guards: a known action, the version the actor saw,
    a state the step leaves, a role that takes it."""
    transition = transition_get(action)
    if transition is None:
        raise TransitionRefused(_("Unknown action “%(action)s”.") % {"action": action})
    label = str(transition.label)
    if expected_version is not None and expected_version != case.version:
        raise StaleVersion(
            _("The case changed while you were looking at it; it is now “%(state)s”. Reload and try again.")
            % {"state": State(case.state).label}
        )
    if case.state not in transition.sources:
        raise _refuse_not_allowed(case, label, actor)
    if not scoping.may_take_on_visible_case(actor, transition, case):
        if actor.role in transition.roles:
            raise TransitionRefused(
                _("“%(action)s” is for the %(lead)s, which leads this case; you see it read-only.")
                % {"action": label, "lead": Authority(scoping.case_lead_authority(case)).label}
            )
        raise TransitionRefused(_("Your role may not “%(action)s” on this case.") % {"action": label})
    return transition


def _step_day(case: AuditCase, effective_on: datetime.date | None) -> datetime.date:
    day = effective_on or timezone.localdate()
    if day > timezone.localdate():
        raise TransitionRefused(_("A step cannot be dated in the future."))
    if day < case.published_on:
        raise TransitionRefused(_("A step cannot be dated before the list was published."))
    return day


def _take(
    case: AuditCase,
    transition: Transition,
    *,
    actor,
    comment: str = "",
    reason: str = "",
    level: str = "",
    document: Document | None = None,
    conclusion=None,
    effective_on: datetime.date | None = None,
) -> AuditCase:
    """Run the row's guards, its effects, then move the locked case as the row says and log the step."""
    step = Step(
        case=case,
        transition=transition,
        actor=actor,
        day=_step_day(case, effective_on),
        reason=(reason or "").strip(),
        comment=(comment or "").strip(),
        level=level,
        document=document,
        conclusion=conclusion,
    )
    for guard in transition.guards:
        guard(step)
    for effect in transition.effects:
        effect(step)
    before = _snapshot(case)
    case.state = transition.target
    case.version += 1
    case.state_changed_at = timezone.now()
    for field in transition.stamps:
        setattr(case, field, step.day)
    for field, source in transition.sets:
        setattr(case, field, getattr(step, source))
    deadlines_recompute(case)
    case.save()
    event_record(
        action=f"case.transition.{transition.action}",
        actor=actor,
        obj=case,
        before=before,
        after={**_snapshot(case), "effective_on": step.day},
        note="\n".join(x for x in (step.reason, step.comment) if x),
    )
    return case


@transaction.atomic
def case_transition(
    *,
    case_id: int,
    actor,
    action: Action | str,
    comment: str = "",
    reason: str = "",
    level: str = "",
    document: Document | None = None,
    conclusion=None,
    expected_version: int | None = None,
    effective_on: datetime.date | None = None,
) -> AuditCase:
    """Move a case one step along the lifecycle (the row of `action` in lifecycle.TRANSITIONS), or refuse
    and change nothing.

    Locks the case row for the rest of the transaction, so the same step sent twice at once applies
    once: the second sender finds the new state and is refused. `effective_on` is the date the step
    happened (today unless a historical record or the demo says otherwise).
    """
    case = _case_locked(case_id=case_id, actor=actor)
    transition = _transition_allowed(case, action, actor, expected_version)
    return _take(
        case,
        transition,
        actor=actor,
        comment=comment,
        reason=reason,
        level=level,
        document=document,
        conclusion=conclusion,
        effective_on=effective_on,
    )


def disclosure_submit(*, case_id: int, actor, effective_on: datetime.date | None = None, comment: str = ""):
    """Submit and publish the disclosure: the lifecycle's `disclose` step."""
    return case_transition(
        case_id=case_id, actor=actor, action=Action.DISCLOSE, effective_on=effective_on, comment=comment
    )


@transaction.atomic
def delegation_create(
    *, case: AuditCase, agency, actor, starts_on: datetime.date, ends_on: datetime.date | None = None
) -> Delegation:
    if not scoping.may_delegate(actor, case):
        raise CaseNotFound()
    if ends_on is not None and ends_on < starts_on:
        raise TransitionRefused(_("The delegation cannot end before it starts."))
    delegation = Delegation.objects.create(
        case=case, agency=agency, starts_on=starts_on, ends_on=ends_on, created_by=actor
    )
    event_record(
        action="case.delegation.create",
        actor=actor,
        obj=delegation,
        after={"case": case.pk, "agency": agency.pk, "starts_on": starts_on, "ends_on": ends_on},
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, delegation: Delegation, actor) -> Delegation:
    if not scoping.may_delegate(actor, delegation.case):
        raise CaseNotFound()
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
        event_record(action="case.delegation.revoke", actor=actor, obj=delegation)
    return delegation


def case_transition_with_upload(
    *,
    case_id: int,
    actor,
    action: Action | str,
    upload,
    document_kind: str = "",
    comment: str = "",
    reason: str = "",
    level: str = "",
    expected_version: int | None = None,
    effective_on: datetime.date | None = None,
) -> AuditCase:
    """A transition that needs a document (withdrawal): the file and the step land together or not at
    all. The file is stored as `document_kind`, or else as the type the transition's row names."""
    with removed_on_failure() as stored, transaction.atomic():
        case = _case_locked(case_id=case_id, actor=actor)
        # Checked before the file is stored so a refused user leaves nothing behind.
        transition = _transition_allowed(case, action, actor, expected_version)
        doc = document_store(
            case=case, kind=document_kind or transition.document_kind, upload=upload, actor=actor
        )
        stored.add(doc.file)
        return _take(
            case,
            transition,
            actor=actor,
            comment=comment,
            reason=reason,
            level=level,
            document=doc,
            effective_on=effective_on,
        )


def cases_create_historical(
    *, rounds: list[dict], actor, sha256: str, sm3: str, imported_on
) -> list[AuditCase]:
    """Cases of rounds run before the system (programmes' history import), in bulk: each in the state
    its known dates imply (cases.history), its deadlines computed, one `case.import.historical` event
    with the file's digests and row, and marked as imported on `imported_on` (the sweep then records no
    warning or accountability for deadlines that fell due before it). No enterprise account is made.

    Each round: listing (saved, with its programme), enterprise, jurisdiction_id and _path, dates
    (history.KnownDates), row, agency_id (or None)."""
    from qingshen.cases.history import case_fields, implied_state

    cases = [
        AuditCase(
            programme=r["listing"].programme,
            listing=r["listing"],
            enterprise=r["enterprise"],
            jurisdiction_id=r["jurisdiction_id"],
            jurisdiction_path=r["jurisdiction_path"],
            state=implied_state(r["dates"]),
            history_imported_on=imported_on,
            history_sha256=sha256,
            history_row=r["row"],
            **case_fields(r["dates"]),
        )
        for r in rounds
    ]
    with_deadlines = deadlines_of_new_cases(cases)
    AuditCase.objects.bulk_create(cases, batch_size=1000)
    if cases and cases[0].pk is None:  # a backend that returns no keys: read them back by listing
        ids = dict(
            AuditCase.objects.filter(listing__in=[c.listing_id for c in cases]).values_list(
                "listing_id", "pk"
            )
        )
        for c in cases:
            c.pk = ids[c.listing_id]
    deadline_rows_insert(with_deadlines)
    # Bulk-created cases send no save signal: count them into their cells.
    case_counts_refresh_for(AuditCase.objects.filter(pk__in=[c.pk for c in cases]))
    Delegation.objects.bulk_create(
        (
            Delegation(
                case_id=c.pk,
                agency_id=r["agency_id"],
                starts_on=c.audit_started_on or c.published_on,
                ends_on=c.result_published_on or c.accepted_on or c.withdrawn_on,
                created_by=actor,
            )
            for c, r in zip(cases, rounds, strict=True)
            if r.get("agency_id")
        ),
        batch_size=1000,
    )
    events_record_many(
        action="case.import.historical",
        actor=actor,
        items=[(c, {"sha256": sha256, "sm3": sm3, "row": c.history_row, **_snapshot(c)}) for c in cases],
    )
    return cases

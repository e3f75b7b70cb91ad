"""Writes on penalties: order to correct, corrected, then a fine within the law's bounds (or, for an
agency, publication of its name), which marks the party for credit evaluation and disclosure.

A district orders its enterprises to correct as its city says (BureauSettings.district_penalties):
directly, or as a proposal the city confirms (then it is an order) or returns with a reason; the
district is told the answer, and corrects a returned proposal and sends it again."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qingshen.accounts.models import User
from qingshen.accounts.roles import Role
from qingshen.accounts.scoping import environment_staff
from qingshen.core.errors import NotFound, Refused
from qingshen.notifications.services import notification_send
from qingshen.oversight import scoping
from qingshen.oversight.penalty_models import Penalty, ViolationType
from qingshen.registry.bureau_models import DistrictPenalties
from qingshen.trail.services import event_record


class PenaltyRefused(Refused):
    """The law or the procedure refuses this step; the message is for the user."""


@transaction.atomic
def penalty_order(
    *,
    violation: ViolationType,
    facts: str,
    correct_by: datetime.date,
    actor,
    enterprise=None,
    agency=None,
    case=None,
) -> Penalty:
    today = timezone.localdate()
    if (enterprise is None) == (agency is None):
        raise PenaltyRefused(_("Name either an enterprise or an agency."))
    party = ViolationType.Party.ENTERPRISE if enterprise is not None else ViolationType.Party.AGENCY
    if violation.party != party:
        raise PenaltyRefused(_("This violation does not apply to this kind of party."))
    mode = scoping.penalty_mode(actor, enterprise=enterprise)
    if mode is None:
        raise PenaltyRefused(
            _("Only the city bureau, or the district of the enterprise, orders it to correct.")
        )
    if correct_by <= today:
        raise PenaltyRefused(_("The deadline to correct must be after today."))
    if not (facts or "").strip():
        raise PenaltyRefused(_("State the facts."))
    # Scope: the case's district, the enterprise's, or (an agency has none) the ordering bureau's.
    if case is not None:
        path = case.jurisdiction_path
    elif enterprise is not None:
        path = enterprise.jurisdiction.path
    else:
        path = actor.jurisdiction.path
    penalty = Penalty.objects.create(
        violation=violation,
        enterprise=enterprise,
        agency=agency,
        case=case,
        jurisdiction_path=path,
        facts=facts.strip(),
        ordered_on=today,
        correct_by=correct_by,
        created_by=actor,
        state=Penalty.State.PROPOSED if mode == DistrictPenalties.PROPOSE else Penalty.State.ORDERED,
    )
    event_record(
        action="oversight.penalty.propose"
        if penalty.state == Penalty.State.PROPOSED
        else "oversight.penalty.order",
        actor=actor,
        obj=penalty,
        after={"violation": violation.code, "correct_by": str(correct_by), "facts": penalty.facts},
    )
    return penalty


def _locked(penalty_id) -> Penalty:
    return Penalty.objects.select_for_update().select_related("violation").get(pk=penalty_id)


def _may_step(actor, penalty) -> None:
    if not scoping.may_step_penalty(actor, penalty):
        raise PenaltyRefused(
            _("Only the city bureau, or a district its city lets record, acts on this order.")
        )


def _proposal(penalty_id, actor) -> Penalty:
    penalty = _locked(penalty_id)
    if not scoping.may_decide_penalty(actor, penalty):
        raise PenaltyRefused(_("Only the city bureau confirms or returns its districts' proposals."))
    if penalty.state != Penalty.State.PROPOSED:
        raise PenaltyRefused(_("This is no longer a proposal awaiting the city."))
    return penalty


@transaction.atomic
def penalty_confirm(*, penalty_id: int, actor, correct_by: datetime.date | None = None) -> Penalty:
    """The city makes a district's proposal its order to correct, from today; it may set a new deadline
    (the proposed one may have passed while the proposal waited)."""
    penalty = _proposal(penalty_id, actor)
    today = timezone.localdate()
    correct_by = correct_by or penalty.correct_by
    if correct_by <= today:
        raise PenaltyRefused(_("The deadline to correct must be after today."))
    before = {"state": penalty.state, "correct_by": str(penalty.correct_by)}
    penalty.state, penalty.ordered_on, penalty.correct_by = Penalty.State.ORDERED, today, correct_by
    penalty.save(update_fields=["state", "ordered_on", "correct_by"])
    event_record(
        action="oversight.penalty.confirm",
        actor=actor,
        obj=penalty,
        before=before,
        after={"state": penalty.state, "correct_by": str(correct_by)},
    )
    with translation.override(settings.LANGUAGE_CODE):
        _tell_district(
            penalty,
            actor=actor,
            subject=_("The city confirmed the proposed order to correct: %(party)s") % _party(penalty),
            body=_("The order to correct is issued; correct by %(day)s.") % {"day": correct_by},
            url=reverse("penalty-list"),
        )
    return penalty


@transaction.atomic
def penalty_return(*, penalty_id: int, actor, reason: str) -> Penalty:
    """The city sends a district's proposal back with its reason; the district may propose again."""
    penalty = _proposal(penalty_id, actor)
    reason = (reason or "").strip()
    if not reason:
        raise PenaltyRefused(_("Say why the proposal is returned."))
    if len(reason) > 2000:
        raise PenaltyRefused(_("The reason has at most 2000 characters."))
    penalty.state, penalty.returned_reason = Penalty.State.RETURNED, reason
    penalty.save(update_fields=["state", "returned_reason"])
    event_record(
        action="oversight.penalty.return",
        actor=actor,
        obj=penalty,
        before={"state": Penalty.State.PROPOSED},
        after={"state": penalty.state, "reason": reason},
    )
    with translation.override(settings.LANGUAGE_CODE):
        _tell_district(
            penalty,
            actor=actor,
            subject=_("The city returned the proposed order to correct: %(party)s") % _party(penalty),
            body=_("Reason: %(reason)s\nCorrect the proposal and send it again, or leave it.")
            % {"reason": reason},
            url=reverse("penalty-resubmit", args=[penalty.pk]),
        )
    return penalty


@transaction.atomic
def penalty_resubmit(
    *, penalty_id: int, actor, violation: ViolationType, facts: str, correct_by: datetime.date
) -> Penalty:
    """The district corrects a proposal the city returned and sends it again: it is a proposal awaiting
    the city once more (the return and its reason stay in the trail)."""
    penalty = _locked(penalty_id)
    if not scoping.may_resubmit_penalty(actor, penalty):
        raise NotFound()
    if penalty.state != Penalty.State.RETURNED:
        raise PenaltyRefused(_("Only a proposal the city returned is corrected and sent again."))
    if violation.party != ViolationType.Party.ENTERPRISE:
        raise PenaltyRefused(_("This violation does not apply to this kind of party."))
    if correct_by <= timezone.localdate():
        raise PenaltyRefused(_("The deadline to correct must be after today."))
    facts = (facts or "").strip()
    if not facts:
        raise PenaltyRefused(_("State the facts."))
    before = {
        "state": penalty.state,
        "violation": penalty.violation.code,
        "facts": penalty.facts,
        "correct_by": str(penalty.correct_by),
        "returned_reason": penalty.returned_reason,
    }
    penalty.state, penalty.violation, penalty.facts = Penalty.State.PROPOSED, violation, facts
    penalty.correct_by, penalty.ordered_on, penalty.returned_reason = correct_by, timezone.localdate(), ""
    penalty.save(update_fields=["state", "violation", "facts", "correct_by", "ordered_on", "returned_reason"])
    event_record(
        action="oversight.penalty.resubmit",
        actor=actor,
        obj=penalty,
        before=before,
        after={
            "state": penalty.state,
            "violation": violation.code,
            "facts": facts,
            "correct_by": str(correct_by),
        },
    )
    return penalty


def _party(penalty) -> dict:
    return {"party": (penalty.enterprise or penalty.agency).name}


def _tell_district(penalty, *, actor, subject: str, body: str, url: str) -> None:
    """The staff of the district bureau that proposed the order hear the city's answer."""
    district = penalty.created_by.jurisdiction
    if district is None:
        return
    staff = [
        u
        for u in User.objects.filter(role=Role.DISTRICT, is_active=True, jurisdiction=district)
        if environment_staff(u)
    ]
    notification_send(
        users=staff,
        subject=subject,
        body=body,
        obj=penalty,
        url=url,
        actor=actor,
        jurisdiction_path=penalty.jurisdiction_path,
    )


@transaction.atomic
def penalty_correct(*, penalty_id: int, actor, corrected_on: datetime.date | None = None) -> Penalty:
    penalty = _locked(penalty_id)
    _may_step(actor, penalty)
    if penalty.state != Penalty.State.ORDERED:
        raise PenaltyRefused(_("Only an open order can be marked corrected."))
    before = {"state": penalty.state, "on": None}
    penalty.state, penalty.corrected_on = Penalty.State.CORRECTED, corrected_on or timezone.localdate()
    penalty.save(update_fields=["state", "corrected_on"])
    event_record(
        action="oversight.penalty.correct",
        actor=actor,
        obj=penalty,
        before=before,
        after={"state": penalty.state, "on": str(penalty.corrected_on)},
    )
    return penalty


@transaction.atomic
def penalty_impose(*, penalty_id: int, actor, fine: int | None = None) -> Penalty:
    """Not corrected by the deadline: a fine within [fine_min, fine_max] of the violation, and/or the
    name published where the violation says so. Marks the party for credit and disclosure."""
    penalty = _locked(penalty_id)
    _may_step(actor, penalty)
    violation = penalty.violation
    today = timezone.localdate()
    if penalty.state != Penalty.State.ORDERED:
        raise PenaltyRefused(_("Only an order that was not complied with can be followed by a penalty."))
    if today <= penalty.correct_by:
        raise PenaltyRefused(_("The deadline to correct has not passed yet."))
    if violation.fine_max == 0:
        if fine:
            raise PenaltyRefused(_("The law provides no fine for this violation."))
    elif fine is None or not (violation.fine_min <= fine <= violation.fine_max):
        raise PenaltyRefused(
            _("The fine must be between %(low)s and %(high)s yuan (%(code)s).")
            % {"low": f"{violation.fine_min:,}", "high": f"{violation.fine_max:,}", "code": violation.name}
        )
    penalty.fine = fine if violation.fine_max else None
    penalty.state, penalty.penalised_on = Penalty.State.PENALISED, today
    penalty.credit_marked = penalty.disclosure_listed = True
    penalty.save(update_fields=["fine", "state", "penalised_on", "credit_marked", "disclosure_listed"])
    event_record(
        action="oversight.penalty.impose",
        actor=actor,
        obj=penalty,
        after={"fine": penalty.fine, "name_published": violation.publishes_name, "credit_marked": True},
    )
    return penalty

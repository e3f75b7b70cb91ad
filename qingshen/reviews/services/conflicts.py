"""Conflicts of interest (回避) the city decides before the draw: a computed exclusion dismissed as a
false positive, a conflict pinned between an expert and an enterprise, and the agency staff whose
training certificates the conflict check matches."""

from django.db import transaction
from django.utils.translation import gettext as _

from qingshen.core import text as characters
from qingshen.registry import scoping as registry_scoping
from qingshen.registry.models import AgencyStaff
from qingshen.reviews import scoping, selectors
from qingshen.reviews.errors import ReviewNotFound, ReviewRefused
from qingshen.reviews.models import ConflictDismissal, ExpertConflict, Panel
from qingshen.reviews.rows import _locked_review
from qingshen.trail.services import event_record


@transaction.atomic
def conflict_dismiss(*, review_id: int, actor, expert_id: int, rule: str, reason: str) -> ConflictDismissal:
    """Set aside one computed exclusion as a false positive, with a reason (before the draw)."""
    review = _locked_review(review_id=review_id, actor=actor)
    if not scoping.may_organise_review(actor, review):
        raise ReviewRefused(_("Only the bureau that organises this case’s reviews draws its panel."))
    if Panel.objects.filter(review=review).exists():
        raise ReviewRefused(_("The panel is already drawn; exclusions can no longer change."))
    if rule not in selectors.Exclusion.DISMISSABLE:
        raise ReviewRefused(_("A declared or pinned conflict cannot be dismissed."))
    if not reason.strip():
        raise ReviewRefused(_("Give the reason why this exclusion is a false positive."))
    check = selectors.conflict_check(review=review)
    if rule not in [r for r, _d in check.exclusions.get(expert_id, [])]:
        raise ReviewRefused(_("This expert is not excluded by that rule."))
    dismissal = ConflictDismissal.objects.create(
        review=review, expert_id=expert_id, rule=rule, reason=reason.strip(), created_by=actor
    )
    event_record(
        action="review.conflict.dismiss",
        actor=actor,
        obj=review,
        after={"expert": expert_id, "rule": rule},
        note=reason,
    )
    return dismissal


@transaction.atomic
def conflict_pin(*, actor, expert_id: int, enterprise, reason: str) -> ExpertConflict:
    """The city pins a conflict between an expert and an enterprise."""
    if (
        not scoping.may_manage_experts(actor)
        or not registry_scoping.enterprises_visible(actor).filter(pk=enterprise.pk).exists()
    ):
        raise ReviewNotFound()
    if not reason.strip():
        raise ReviewRefused(_("Give the reason for the conflict."))
    conflict = ExpertConflict.objects.create(
        expert_id=expert_id,
        enterprise=enterprise,
        kind=ExpertConflict.Kind.PINNED,
        reason=reason.strip(),
        created_by=actor,
    )
    event_record(
        action="expert.conflict.pin",
        actor=actor,
        obj=conflict.expert,
        after={"enterprise": enterprise.pk},
        note=reason,
    )
    return conflict


@transaction.atomic
def agency_staff_add(*, actor, agency_id: int, name: str, role: str = "", certificate_no: str = ""):
    """An agency records its staff (or the city does); certificates feed the conflict check."""
    if not registry_scoping.may_edit_agency(actor, agency_id):
        raise ReviewNotFound()
    if not name.strip():
        raise ReviewRefused(_("Give the name."))
    if problem := characters.name_problem(name, role, certificate_no):
        raise ReviewRefused(problem)
    staff = AgencyStaff.objects.create(
        agency_id=agency_id,
        name=name.strip()[:50],
        role=role.strip()[:60],
        certificate_no=certificate_no.strip()[:60],
    )
    event_record(
        action="agency.staff.add",
        actor=actor,
        obj=staff,
        after={"agency": agency_id, "certificate": staff.certificate_no},
    )
    return staff

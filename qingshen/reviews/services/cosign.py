"""The consulted department's co-signature (registry.EnergyConsultation.COSIGN): on a case listed on
energy use and another ground, which the environment bureau leads, the energy-saving authority of the
organising bureau co-signs the review, with a comment, before the panel's chair may confirm it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.cases import scoping as cases_scoping
from qingshen.reviews import scoping
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import Review
from qingshen.reviews.rows import _locked_review
from qingshen.trail.services import event_record

COMMENT_MAX = 2000


def cosign_pending(review: Review) -> bool:
    """The city asks for the co-signature on this review's case and it is not given yet."""
    return review.cosigned_at is None and cases_scoping.consultation_cosigns(review.case)


@transaction.atomic
def review_cosign(*, review_id: int, actor, comment: str = "") -> Review:
    review = _locked_review(review_id=review_id, actor=actor)
    if not scoping.may_cosign_review(actor, review):
        raise ReviewRefused(_("Only the energy-saving authority consulted on this case co-signs its review."))
    if review.cosigned_at is not None:
        raise ReviewRefused(_("This review was already co-signed."))
    if review.status != Review.Status.ACCEPTED:
        raise ReviewRefused(
            _("A review is co-signed after its application is accepted and before its conclusion.")
        )
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ReviewRefused(_("The comment has at most %(n)s characters.") % {"n": COMMENT_MAX})
    review.cosigned_by, review.cosigned_at, review.cosign_comment = actor, timezone.now(), comment
    review.save(update_fields=["cosigned_by", "cosigned_at", "cosign_comment"])
    event_record(action="review.cosign", actor=actor, obj=review, after={"comment": comment})
    return review

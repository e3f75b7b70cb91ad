"""The public notice of a meeting's results (公示): the organiser publishes the batch once every
conclusion is confirmed; for the rule review_publicity_days anyone may lodge an objection (with a
contact, counted per address), and the organiser answers each. The results become final when the
period has ended with every objection answered: `meetings_finalise_due` runs from the periodic sweep
and when a meeting's page is opened, so the status is right whichever comes first."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.procedures.rules import RuleMissing, due_from, rule_get
from qingshen.reviews import notices, scoping
from qingshen.reviews.errors import ReviewNotFound, ReviewRefused
from qingshen.reviews.models import Objection, ReviewMeeting
from qingshen.reviews.services.meetings import _locked_meeting, _organised
from qingshen.trail.services import event_record

PUBLICITY_DAYS = "review_publicity_days"
NAME_MAX, CONTACT_MAX, TEXT_MAX = 50, 100, 2000


def _period_end(start: datetime.date) -> datetime.date:
    try:
        return due_from(rule=rule_get(PUBLICITY_DAYS), start=start).date
    except RuleMissing as exc:
        raise ReviewRefused(
            _("The rule “%(code)s” is missing: ask the system administrator to restore it.")
            % {"code": PUBLICITY_DAYS}
        ) from exc


@transaction.atomic
def meeting_publish(*, meeting_id: int, actor, today: datetime.date | None = None) -> ReviewMeeting:
    meeting = _locked_meeting(meeting_id=meeting_id, actor=actor)
    _organised(meeting, actor)
    if meeting.status != ReviewMeeting.Status.OPEN:
        raise ReviewRefused(_("The meeting's results are already published."))
    rows = list(meeting.cases.select_related("review__case__enterprise"))
    pending = [r.review.case.enterprise.name for r in rows if not r.review.outcome]
    if not rows or pending:
        raise ReviewRefused(
            _("Publish once every conclusion is confirmed; still open: %(names)s.")
            % {"names": "、".join(pending) or "—"}
        )
    today = today or timezone.localdate()
    meeting.status, meeting.notice_from, meeting.notice_until = (
        ReviewMeeting.Status.NOTICE,
        today,
        _period_end(today),
    )
    meeting.save(update_fields=["status", "notice_from", "notice_until"])
    event_record(
        action="review.meeting.publish",
        actor=actor,
        obj=meeting,
        after={
            "from": meeting.notice_from,
            "until": meeting.notice_until,
            "reviews": [r.review_id for r in rows],
        },
    )
    return meeting


def objection_lodge(
    *,
    meeting_id: int,
    name: str,
    contact: str,
    text: str,
    review_id: int | None = None,
    address_key: str = "",
    lodged_by=None,
    today: datetime.date | None = None,
) -> Objection:
    """Anyone, during the notice: an objection with a name and a contact, to the batch or one result;
    `lodged_by` is the account of one who lodged it signed in, whose inbox gets the answer."""
    name, contact, text = (name or "").strip(), (contact or "").strip(), (text or "").strip()
    with transaction.atomic():
        meeting = scoping.meetings_public().select_for_update().filter(pk=meeting_id).first()
        if meeting is None:
            raise ReviewNotFound()
        today = today or timezone.localdate()
        if meeting.status != ReviewMeeting.Status.NOTICE or today > meeting.notice_until:
            raise ReviewRefused(_("The public notice of these results has ended; no objection is taken."))
        if not (name and contact and text):
            raise ReviewRefused(_("Give your name, a way to contact you and your objection."))
        if len(name) > NAME_MAX or len(contact) > CONTACT_MAX or len(text) > TEXT_MAX:
            raise ReviewRefused(
                _("Name at most %(n)s characters, contact %(c)s, objection %(t)s.")
                % {"n": NAME_MAX, "c": CONTACT_MAX, "t": TEXT_MAX}
            )
        if review_id is not None and not meeting.cases.filter(review_id=review_id).exists():
            raise ReviewRefused(_("Choose one of the results on this notice."))
        _rate_check(address_key)
        objection = Objection.objects.create(
            meeting=meeting,
            review_id=review_id,
            name=name,
            contact=contact,
            text=text,
            address_key=address_key[:64],
            lodged_by=lodged_by if getattr(lodged_by, "is_authenticated", False) else None,
        )
        # The log names the objection, not the person: their contact stays on the row the organiser sees.
        event_record(
            action="review.objection.lodge",
            obj=meeting,
            after={"objection": objection.pk, "review": review_id},
        )
        return objection


def _rate_check(address_key: str) -> None:
    limit = settings.QINGSHEN_OBJECTIONS_PER_HOUR
    if not address_key or limit <= 0:
        return
    since = timezone.now() - datetime.timedelta(hours=1)
    if Objection.objects.filter(address_key=address_key, lodged_at__gte=since).count() >= limit:
        raise ReviewRefused(
            _("Too many objections from your address in the last hour; please try again later.")
        )


@transaction.atomic
def objection_answer(*, objection_id: int, actor, answer: str) -> Objection:
    meeting_id = (
        Objection.objects.filter(pk=objection_id, meeting__in=scoping.meetings_visible(actor).values("pk"))
        .values_list("meeting_id", flat=True)
        .first()
    )
    if meeting_id is None:
        raise ReviewNotFound()
    meeting = _locked_meeting(meeting_id=meeting_id, actor=actor)
    _organised(meeting, actor)
    objection = Objection.objects.select_for_update().get(pk=objection_id)
    answer = (answer or "").strip()
    if not answer:
        raise ReviewRefused(_("Write the answer to the objection."))
    if objection.answered_at is not None:
        raise ReviewRefused(_("This objection was already answered."))
    objection.answer, objection.answered_by, objection.answered_at = answer[:TEXT_MAX], actor, timezone.now()
    # Signed in, the objector hears of it in the inbox; with a contact only, the answer is on the public
    # notice beside the objection's number (the organiser may also reply through the contact).
    inbox = objection.lodged_by is not None and objection.lodged_by.is_active
    objection.answer_sent = Objection.AnswerSent.INBOX if inbox else Objection.AnswerSent.PUBLIC
    objection.save(update_fields=["answer", "answered_by", "answered_at", "answer_sent"])
    if inbox:
        notices.objection_answered(objection=objection, actor=actor)
    event_record(
        action="review.objection.answer",
        actor=actor,
        obj=meeting,
        after={"objection": objection.pk, "sent": objection.answer_sent},
        note=answer,
    )
    return objection


def meeting_finalise(*, meeting_id: int, today: datetime.date | None = None) -> bool:
    """Final when the notice has ended and every objection is answered; True when it became final now."""
    today = today or timezone.localdate()
    with transaction.atomic():
        meeting = ReviewMeeting.objects.select_for_update().filter(pk=meeting_id).first()
        if meeting is None or meeting.status != ReviewMeeting.Status.NOTICE or today <= meeting.notice_until:
            return False
        if meeting.objections.filter(answered_at__isnull=True).exists():
            return False
        meeting.status, meeting.finalised_on = ReviewMeeting.Status.FINAL, today
        meeting.save(update_fields=["status", "finalised_on"])
        event_record(
            action="review.meeting.finalise",
            obj=meeting,
            after={"on": today, "objections": meeting.objections.count()},
        )
        return True


def meetings_finalise_due(*, today: datetime.date | None = None) -> int:
    """Every meeting whose notice has ended with its objections answered becomes final; how many did."""
    today = today or timezone.localdate()
    due = ReviewMeeting.objects.filter(status=ReviewMeeting.Status.NOTICE, notice_until__lt=today)
    return sum(meeting_finalise(meeting_id=pk, today=today) for pk in due.values_list("pk", flat=True))

"""Who hears what about a review: inbox notices and mails through qingshen.notifications.

As a bureau would: the decisions that bind the enterprise — an application refused (不予受理), the
confirmed conclusion (评估/验收结论), a moved acceptance time limit — are official notices whose mail
waits in the city's outbox until staff release it (the inbox has it at once); the working notices — an application received, an
application accepted (受理), a seat on a panel, a result waiting for the chair — go out at once.
Texts are in the site's language (the recipient's is not known) and word the actual outcome only.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qingshen.accounts.models import User
from qingshen.accounts.roles import Role
from qingshen.cases import scoping as cases_scoping
from qingshen.notifications.services import notification_send
from qingshen.programmes.notify import enterprise_addresses
from qingshen.reviews import scoping
from qingshen.reviews.models import PanelSeat, Review, ReviewKind
from qingshen.reviews.organisers import organising_unit
from qingshen.reviews.wording import conclusion_note


def _link(path: str) -> str:
    return settings.QINGSHEN_BASE_URL.rstrip("/") + path


def _applicants(case) -> tuple[list, list[str]]:
    """The enterprise's accounts and addresses, and those of the agency it has delegated the case to."""
    users = list(case.enterprise.users.filter(is_active=True))
    addresses = enterprise_addresses(case.enterprise)
    agency_ids = case.delegations.filter(revoked_at__isnull=True).values("agency_id")
    for user in User.objects.filter(role=Role.AGENCY, is_active=True, agency_id__in=agency_ids):
        if cases_scoping.cases_visible(user).filter(pk=case.pk).exists():
            users.append(user)
    return users, addresses


def _to_applicants(review: Review, *, subject: str, body: str, official: bool, actor) -> None:
    case = review.case
    users, addresses = _applicants(case)
    path = reverse("review-detail", args=[review.pk])
    notification_send(
        users=users,
        subject=subject,
        body=f"{body}\n{_link(path)}",
        obj=review,
        url=path,
        addresses=addresses,
        official=official,
        actor=actor,
        jurisdiction_path=case.jurisdiction_path,
    )


def _kind(review: Review) -> str:
    return str(ReviewKind(review.kind).label)


def application_received(*, review: Review, actor) -> None:
    """The staff of the bureau that organises the case's reviews: a completeness check is due."""
    with translation.override(settings.LANGUAGE_CODE):
        unit = organising_unit(review.case)
        staff = [
            u
            for u in User.objects.filter(role__in=scoping.ORGANISER_ROLES, is_active=True, jurisdiction=unit)
            if scoping.may_organise_review(u, review)
        ]
        path = reverse("review-detail", args=[review.pk])
        notification_send(
            users=staff,
            subject=_("New application: %(kind)s, %(enterprise)s")
            % {"kind": _kind(review), "enterprise": review.case.enterprise.name},
            body=_("Submitted on %(day)s. Check its completeness within the time limit.\n%(link)s")
            % {"day": review.applied_on, "link": _link(path)},
            obj=review,
            url=path,
            actor=actor,
            jurisdiction_path=review.case.jurisdiction_path,
        )
    consulted_application(review=review, actor=actor)


def _to_consulted(review: Review, *, subject: str, body: str, actor) -> None:
    """The staff of the department consulted on the case (the energy-saving authority on a mixed-ground
    case) at the bureau that organises its reviews: they follow it read-only, or co-sign it."""
    case = review.case
    if not cases_scoping.consultation_of(case):
        return
    unit = organising_unit(case)
    staff = [
        u
        for u in User.objects.filter(role__in=scoping.ORGANISER_ROLES, is_active=True, jurisdiction=unit)
        if cases_scoping.is_consulted_on(u, case)
    ]
    path = reverse("review-detail", args=[review.pk])
    notification_send(
        users=staff,
        subject=subject,
        body=f"{body}\n{_link(path)}",
        obj=review,
        url=path,
        actor=actor,
        jurisdiction_path=case.jurisdiction_path,
    )


def consulted_application(*, review: Review, actor) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        body = _("Submitted on %(day)s; the environment bureau leads the case and you are consulted.") % {
            "day": review.applied_on
        }
        if cases_scoping.consultation_cosigns(review.case):
            body += " " + _(
                "Once the application is accepted, co-sign the review: its chair confirms only after."
            )
        _to_consulted(
            review,
            subject=_("For your information: %(kind)s applied for, %(enterprise)s")
            % {"kind": _kind(review), "enterprise": review.case.enterprise.name},
            body=body,
            actor=actor,
        )


def application_accepted(*, review: Review, actor) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _to_applicants(
            review,
            subject=_("Your application was accepted (受理): %(kind)s") % {"kind": _kind(review)},
            body=_(
                "%(enterprise)s: the bureau accepted your application of %(day)s on %(checked)s. "
                "An expert panel will be drawn for it."
            )
            % {
                "enterprise": review.case.enterprise.name,
                "day": review.applied_on,
                "checked": review.checked_on,
            },
            official=False,
            actor=actor,
        )


def application_refused(*, review: Review, actor) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _to_applicants(
            review,
            subject=_("Your application was not accepted (不予受理): %(kind)s") % {"kind": _kind(review)},
            body=_(
                "%(enterprise)s: the bureau did not accept your application of %(day)s (checked on "
                "%(checked)s).\n%(reason)s\nComplete the materials and apply again."
            )
            % {
                "enterprise": review.case.enterprise.name,
                "day": review.applied_on,
                "checked": review.checked_on,
                "reason": review.refusal_reason,
            },
            official=True,
            actor=actor,
        )


def _next_step(review: Review) -> str:
    passed = review.outcome == Review.Outcome.PASS
    if review.kind == ReviewKind.EVALUATION and passed:
        due = review.case.deadlines.filter(kind="acceptance_apply").values_list("due_on", flat=True).first()
        if due:
            return _("Implement the options and apply for acceptance by %(day)s.") % {"day": due}
        return _("Implement the options and apply for acceptance.")
    if review.kind == ReviewKind.EVALUATION:
        return _("Revise the audit report as required and apply for evaluation again.")
    if passed:
        return _("The bureau will publish the result.")
    return _("Correct what the panel requires and apply for acceptance again.")


def conclusion_confirmed(*, review: Review, actor, with_opinion: bool = True) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("%(enterprise)s: the expert panel concluded on %(day)s.")
            % {"enterprise": review.case.enterprise.name, "day": review.concluded_on},
            conclusion_note(review),
        ]
        if review.requirements:
            lines.append(_("Requirements: %(text)s") % {"text": review.requirements})
        lines.append(_next_step(review))
        if with_opinion:
            lines.append(_("The opinion is among the case's documents."))
        subject = _("%(kind)s conclusion: %(outcome)s") % {
            "kind": _kind(review),
            "outcome": review.outcome_label,
        }
        _to_applicants(review, subject=subject, body="\n".join(lines), official=True, actor=actor)
        _to_consulted(review, subject=subject, body=lines[0] + "\n" + lines[1], actor=actor)


def acceptance_limit_moved(*, review: Review, actor, reason: str, reissued: bool) -> None:
    """The organiser moved the time limit to apply for acceptance: binding, so official like the
    conclusion."""
    case = review.case
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("%(enterprise)s: the time limit to apply for acceptance (提出验收时限) is now %(day)s.")
            % {"enterprise": case.enterprise.name, "day": case.acceptance_due_on}
        ]
        if reason:
            lines.append(_("Reason: %(text)s") % {"text": reason})
        if reissued:
            lines.append(
                _(
                    "The evaluation opinion was issued again with the new date; it is among the case's documents."
                )
            )
        _to_applicants(
            review,
            subject=_("Acceptance time limit moved to %(day)s") % {"day": case.acceptance_due_on},
            body="\n".join(lines),
            official=True,
            actor=actor,
        )


def seat_invited(*, seat: PanelSeat, actor) -> None:
    """A drawn (or redrawn) expert: accept or decline the seat on the expert pages."""
    expert, review = seat.expert, seat.panel.review
    with translation.override(settings.LANGUAGE_CODE):
        role = _("the chair (组长)") if seat.is_chair else _("a member")
        path = reverse("seat-detail", args=[seat.pk])
        notification_send(
            users=[expert.user] if expert.user_id else [],
            subject=_("You were drawn for an expert panel: %(kind)s, %(enterprise)s")
            % {"kind": _kind(review), "enterprise": review.case.enterprise.name},
            body=_(
                "%(name)s: you were drawn on %(day)s as %(role)s of the panel. Accept the seat, declaring "
                "that you have no conflict of interest, or decline it, on your expert page:\n%(link)s"
            )
            % {"name": expert.name, "day": timezone.localdate(), "role": role, "link": _link(path)},
            obj=review,
            url=path,
            addresses=[expert.email] if expert.email else [],
            actor=actor,
            jurisdiction_path=review.case.jurisdiction_path,
        )


def result_ready(*, review: Review) -> None:
    """Every sheet is in: the chair confirms the computed conclusion."""
    chair = (
        PanelSeat.objects.filter(panel__review=review, is_chair=True, status=PanelSeat.Status.ACCEPTED)
        .select_related("expert__user")
        .first()
    )
    if chair is None or chair.expert.user_id is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("seat-detail", args=[chair.pk])
        notification_send(
            users=[chair.expert.user],
            subject=_("Every sheet is in: confirm the conclusion (%(enterprise)s)")
            % {"enterprise": review.case.enterprise.name},
            body=_("Proposed conclusion: %(outcome)s. Confirm it on your expert page:\n%(link)s")
            % {"outcome": review.outcome_label, "link": _link(path)},
            obj=review,
            url=path,
            jurisdiction_path=review.case.jurisdiction_path,
        )


def revision_requested(*, revision, actor) -> None:
    """The enterprise and its agency: what the panel asks to revise, by when, and where to hand it in."""
    review = revision.review
    with translation.override(settings.LANGUAGE_CODE):
        points = "\n".join(f"{n}. {item}" for n, item in enumerate(revision.items, start=1))
        path = reverse("case-revisions", args=[review.case_id])
        _to_applicants(
            review,
            subject=_("The panel asks you to revise your report: %(kind)s") % {"kind": _kind(review)},
            body=_("Revise by %(day)s and hand in the revised report on the portal:\n%(points)s\n%(link)s")
            % {"day": revision.due_on, "points": points, "link": _link(path)},
            official=False,
            actor=actor,
        )


def objection_answered(*, objection, actor) -> None:
    """The organiser's answer to an objection of the 公示, to the inbox of the one who lodged it signed in."""
    meeting = objection.meeting
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("public-notice", args=[meeting.pk])
        notification_send(
            users=[objection.lodged_by],
            subject=_("Your objection to the review results was answered"),
            body=_(
                "%(name)s: %(organiser)s answered your objection (no. %(no)s) to the results of the review "
                "meeting of %(day)s:\n%(answer)s\n%(link)s"
            )
            % {
                "name": objection.name,
                "organiser": meeting.organiser.name,
                "no": objection.pk,
                "day": meeting.held_on.isoformat(),
                "answer": objection.answer,
                "link": _link(path),
            },
            obj=meeting,
            url=path,
            actor=actor,
        )


def application_cancelled(*, review: Review, group_name: str, actor) -> None:
    """The member's own application ended unconcluded because its group's pass counts for it."""
    with translation.override(settings.LANGUAGE_CODE):
        _to_applicants(
            review,
            subject=_("Your application is cancelled: %(kind)s") % {"kind": _kind(review)},
            body=_(
                "%(enterprise)s: the group audit “%(group)s” passed and counts as your audit, so your case "
                "is closed as counted by the group audit and your own application of %(day)s is cancelled."
            )
            % {"enterprise": review.case.enterprise.name, "group": group_name, "day": review.applied_on},
            official=False,
            actor=actor,
        )


def seats_released(*, review: Review, actor) -> None:
    """The experts still seated on a cancelled application's panel: the meeting will not take place."""
    panel = getattr(review, "panel", None)
    if panel is None:
        return
    seats = panel.seats.exclude(status=PanelSeat.Status.DECLINED).select_related("expert__user")
    with translation.override(settings.LANGUAGE_CODE):
        for seat in seats:
            expert = seat.expert
            notification_send(
                users=[expert.user] if expert.user_id else [],
                subject=_("Panel seat released: %(kind)s, %(enterprise)s")
                % {"kind": _kind(review), "enterprise": review.case.enterprise.name},
                body=_(
                    "%(name)s: the application of %(enterprise)s was cancelled because its case was closed "
                    "another way, so the panel will not meet and your seat is released. Nothing more is "
                    "asked of you for it."
                )
                % {"name": expert.name, "enterprise": review.case.enterprise.name},
                obj=review,
                url=reverse("seat-detail", args=[seat.pk]),
                addresses=[expert.email] if expert.email else [],
                actor=actor,
                jurisdiction_path=review.case.jurisdiction_path,
            )

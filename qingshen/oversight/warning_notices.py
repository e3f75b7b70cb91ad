"""Telling people about new deadline and milestone warnings (run by `manage.py sweep` after
services.warnings_record): one notice per case to the enterprise, one digest per staff account."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.accounts.scoping import environment_staff
from qingshen.cases.scoping import case_lead_authority
from qingshen.oversight.models import Warning
from qingshen.oversight.reminders import progress_reminders_send
from qingshen.trail.services import event_record


def _warning_line(w: Warning) -> str:
    what = w.deadline.title if w.deadline_id else w.milestone.name
    if w.level == Warning.Level.OVERDUE:
        return _("%(what)s: overdue since %(due)s") % {"what": what, "due": w.due_on}
    if w.level == Warning.Level.DUE:
        return _("%(what)s: due today (%(due)s)") % {"what": what, "due": w.due_on}
    return _("%(what)s: due on %(due)s, in %(days)d days") % {
        "what": what,
        "due": w.due_on,
        "days": w.threshold_days,
    }


def _tells_enterprise(deadline) -> bool:
    """The enterprise's own duties, and the bureau's that wait for its application."""
    from qingshen.cases.deadlines import ENTERPRISE_WARNED_KINDS

    return deadline.party == "enterprise" or deadline.kind in ENTERPRISE_WARNED_KINDS


def _digest_concerns(user, warning: Warning) -> bool:
    """A staff digest lists the warnings of the user's jurisdiction; the energy-saving authority's staff
    only those of the cases it leads (the list's milestones and the other cases are the environment
    bureau's work, which they see read-only)."""
    if not warning.jurisdiction_path.startswith(user.jurisdiction.path):
        return False
    if environment_staff(user):
        return True
    return warning.case_id is not None and case_lead_authority(warning.case) == user.authority


def warnings_notify(*, today: datetime.date | None = None) -> dict[str, int]:
    """Tell the people concerned about the warnings nobody has been told of yet, then mark them told.

    An enterprise gets one notice per case (inbox and mail) for its own deadlines; every city and
    district account gets one digest of the new warnings in its jurisdiction, linking to the
    warnings page. Warnings of deadlines already overdue by more than
    settings.QINGSHEN_WARNING_NOTICE_MAX_DAYS_LATE days are marked without a notice. Concurrent
    sweeps skip each other's rows (row locks on PostgreSQL; SQLite serialises writers)."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from qingshen.accounts.models import User
    from qingshen.accounts.roles import Role
    from qingshen.notifications.services import notification_send
    from qingshen.programmes.notify import notify_enterprise

    today = today or timezone.localdate()
    now = timezone.now()
    stale = today - datetime.timedelta(days=settings.QINGSHEN_WARNING_NOTICE_MAX_DAYS_LATE)
    counts = {"enterprise_notices": 0, "digests": 0, "marked_silently": 0, "progress_reminders": 0}
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        pending = Warning.objects.filter(notified_at__isnull=True)
        counts["marked_silently"] = pending.filter(due_on__lt=stale, level=Warning.Level.OVERDUE).update(
            notified_at=now
        )
        rows = list(
            pending.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "deadline", "milestone", "case__enterprise__jurisdiction", "case__programme", "case__listing"
            )
            .order_by("due_on", "pk")
        )
        if not rows:
            return counts
        by_case: dict[int, list[Warning]] = {}
        for w in rows:
            if w.case_id and w.deadline_id and _tells_enterprise(w.deadline):
                by_case.setdefault(w.case_id, []).append(w)
        for warnings in by_case.values():
            case = warnings[0].case
            notify_enterprise(
                enterprise=case.enterprise,
                subject=_("Cleaner production audit deadline warning: %(programme)s")
                % {"programme": case.programme.title},
                body="\n".join(_warning_line(w) for w in warnings),
                obj=case,
            )
            counts["enterprise_notices"] += 1
        staff = User.objects.filter(
            is_active=True, role__in=[Role.CITY, Role.DISTRICT], jurisdiction__isnull=False
        ).select_related("jurisdiction")
        url = reverse("warning-list")
        for user in staff:
            mine = [w for w in rows if _digest_concerns(user, w)]
            if not mine:
                continue
            levels = {level: sum(w.level == level for w in mine) for level in Warning.Level.values}
            notification_send(
                users=[user],
                subject=_("%(n)d new early warnings") % {"n": len(mine)},
                body=_("Overdue: %(overdue)d; due today: %(due)d; upcoming: %(upcoming)d.") % levels,
                url=url,
                jurisdiction_path=user.jurisdiction.path,
            )
            counts["digests"] += 1
        counts["progress_reminders"] = progress_reminders_send(rows, line=_warning_line)
        Warning.objects.filter(pk__in=[w.pk for w in rows]).update(notified_at=now)
        event_record(
            action="oversight.warnings.notify", actor_name="sweep", after={"on": str(today), **counts}
        )
    return counts

"""Reminders to the districts before a "progress report due" milestone (sent by warnings_notify)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from qingshen.accounts.models import User
from qingshen.accounts.roles import Authority, Role
from qingshen.notifications.services import notification_send
from qingshen.oversight.models import Warning
from qingshen.programmes.models import Milestone
from qingshen.programmes.selectors import progress_districts_missing


def progress_reminders_send(rows: list[Warning], *, line) -> int:
    """Before a "progress report due" milestone, each district that has not filed its return is told
    (the city's digest covers the city; a district's staff would not see a city-wide warning)."""
    sent = 0
    for w in rows:
        if not w.milestone_id or w.milestone.kind != Milestone.Kind.PROGRESS_REPORT_DUE:
            continue
        if w.level == Warning.Level.OVERDUE:
            continue  # the board shows who is late; the reminder is for before the date
        url = reverse("progress-return", args=[w.milestone.programme_id, w.milestone_id])
        for district in progress_districts_missing(w.milestone):
            users = list(
                User.objects.filter(
                    is_active=True, role=Role.DISTRICT, jurisdiction=district, authority=Authority.ENVIRONMENT
                )
            )
            if not users:
                continue
            notification_send(
                users=users,
                subject=_("Progress return due on %(due)s: %(name)s")
                % {"due": w.due_on, "name": w.milestone.name},
                body=line(w),
                url=url,
                jurisdiction_path=district.path,
            )
            sent += 1
    return sent

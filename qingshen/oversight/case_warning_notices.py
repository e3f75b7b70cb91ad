"""Telling people of the sweep's case warnings that have no deadline of their own: discharge permits
missing, expired or expiring (permit_warnings) and annual disclosures not submitted in time
(annual_warnings). As with the deadline warnings (warning_notices.warnings_notify): the enterprise gets one
notice per case, every city and district account one digest of its jurisdiction's new ones, linking
to the warnings page; each warning is told once, and concurrent sweeps skip each other's rows."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qingshen.accounts.models import User
from qingshen.accounts.roles import Authority, Role
from qingshen.notifications.services import notification_send
from qingshen.oversight.models import AnnualDisclosureWarning, PermitWarning
from qingshen.programmes.notify import notify_enterprise
from qingshen.trail.services import event_record


def _permit_line(w: PermitWarning) -> str:
    if w.kind == PermitWarning.Kind.MISSING:
        return _("No discharge permit or registration is recorded (found on %(day)s).") % {"day": w.due_on}
    if w.kind == PermitWarning.Kind.EXPIRED:
        return _("The discharge permit %(number)s expired on %(day)s.") % {
            "number": w.permit.number,
            "day": w.due_on,
        }
    return _("The discharge permit %(number)s expires on %(day)s: apply for its renewal in time.") % {
        "number": w.permit.number,
        "day": w.due_on,
    }


def _annual_line(w: AnnualDisclosureWarning) -> str:
    return _(
        "The annual disclosure of %(year)s (部令第24号 第十四条) was due by %(day)s and is not submitted."
    ) % {
        "year": w.year,
        "day": w.due_on,
    }


def _digest_body(rows: list) -> str:
    """The first rows (as many as the warnings page lists), then how many more the page holds."""
    limit = settings.QINGSHEN_SHORTLIST_ROWS
    body = "\n".join(f"{w.case.enterprise.name}：{line}" for w, line in rows[:limit])
    if len(rows) > limit:
        body += "\n" + _("… and %(n)d more on the warnings page.") % {"n": len(rows) - limit}
    return body


def _pending(model):
    return list(
        model.objects.filter(notified_at__isnull=True)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related(*(("permit",) if model is PermitWarning else ()), "case__enterprise__jurisdiction")
        .order_by("pk")
    )


def case_warnings_notify(*, today: datetime.date | None = None) -> dict[str, int]:
    """Tell the enterprises and the staff of the permit and annual disclosure warnings nobody has been
    told of yet, then mark them told."""
    today = today or timezone.localdate()
    counts = {"enterprise_notices": 0, "digests": 0}
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        permits, annual = _pending(PermitWarning), _pending(AnnualDisclosureWarning)
        if not permits and not annual:
            return counts
        lines = [(w, _permit_line(w)) for w in permits] + [(w, _annual_line(w)) for w in annual]
        by_case: dict[int, list] = {}
        for w, line in lines:
            by_case.setdefault(w.case_id, []).append((w, line))
        for rows in by_case.values():
            case = rows[0][0].case
            notify_enterprise(
                enterprise=case.enterprise,
                subject=_("Cleaner production audit warning: %(enterprise)s")
                % {"enterprise": case.enterprise.name},
                body="\n".join(line for _w, line in rows),
                obj=case,
            )
            counts["enterprise_notices"] += 1
        # Permits and annual disclosures are the environment bureau's work, not the energy authority's.
        staff = User.objects.filter(
            is_active=True,
            role__in=[Role.CITY, Role.DISTRICT],
            jurisdiction__isnull=False,
            authority=Authority.ENVIRONMENT,
        ).select_related("jurisdiction")
        url = reverse("warning-list")
        for user in staff:
            mine = [(w, line) for w, line in lines if w.jurisdiction_path.startswith(user.jurisdiction.path)]
            if not mine:
                continue
            notification_send(
                users=[user],
                subject=_("%(n)d new permit and annual disclosure warnings") % {"n": len(mine)},
                body=_digest_body(mine),
                url=url,
                jurisdiction_path=user.jurisdiction.path,
            )
            counts["digests"] += 1
        now = timezone.now()
        PermitWarning.objects.filter(pk__in=[w.pk for w in permits]).update(notified_at=now)
        AnnualDisclosureWarning.objects.filter(pk__in=[w.pk for w in annual]).update(notified_at=now)
        event_record(
            action="oversight.case_warnings.notify",
            actor_name="sweep",
            after={"on": str(today), "permits": len(permits), "annual": len(annual), **counts},
        )
    return counts

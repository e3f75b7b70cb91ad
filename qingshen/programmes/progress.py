"""Writes on progress returns: a district files what it has done by a "progress report due" milestone.

Reads (who has filed, who is late) are in selectors.progress_board."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import Milestone, Programme, ProgressReturn
from qingshen.trail.services import event_record

FIGURES = ("evaluations_held", "acceptances_held", "enterprises_behind")
TEXT_MAX = 10_000


def _figure(name: str, value) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        raise ProgrammeError(_("A figure is a whole number, zero or more."), field=name)
    return number


@transaction.atomic
def progress_return_file(*, milestone: Milestone, actor, text: str, **figures) -> ProgressReturn:
    """File (or file again) the actor's district's return for `milestone`. The milestone row is locked, so
    two filings at once by the same district apply one after the other."""
    milestone = Milestone.objects.select_for_update().select_related("programme").get(pk=milestone.pk)
    programme = milestone.programme
    if milestone.kind != Milestone.Kind.PROGRESS_REPORT_DUE:
        raise ProgrammeError(_("This milestone does not ask for a progress return."))
    if not scoping.may_file_progress(actor, programme):
        raise ProgrammeError(_("Only a district's own staff file its progress return."))
    if programme.list_state != Programme.ListState.PUBLISHED:
        raise ProgrammeError(_("Progress is reported once the list is published."))
    text = (text or "").strip()
    if not text:
        raise ProgrammeError(_("Write what the district has done."), field="text")
    if len(text) > TEXT_MAX:
        raise ProgrammeError(
            _("The text is too long (at most %(n)d characters).") % {"n": TEXT_MAX}, field="text"
        )
    values = {name: _figure(name, figures.get(name)) for name in FIGURES}
    district = actor.jurisdiction
    existing = ProgressReturn.objects.filter(milestone=milestone, district=district).first()
    before = None
    if existing is None:
        record = ProgressReturn(
            milestone=milestone,
            district=district,
            filed_at=timezone.now(),
            filed_by=actor,
            text=text,
            **values,
        )
    else:
        record = existing
        before = {"text": record.text, **{n: getattr(record, n) for n in FIGURES}}
        record.text, record.filed_by = text, actor
        for name, value in values.items():
            setattr(record, name, value)
    record.save()
    late = timezone.localdate(record.filed_at) > milestone.due_on
    event_record(
        action="programme.progress.file",
        actor=actor,
        obj=record,
        before=before,
        after={"milestone": milestone.pk, "district": district.pk, "late": late, "text": text, **values},
    )
    return record

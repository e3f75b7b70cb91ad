import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.cases import scoping as cases_scoping
from qingshen.core.errors import Refused
from qingshen.core.files.staging import file_stage, promote_on_commit
from qingshen.core.files.stored import removed_on_failure
from qingshen.core.files.uploads import DocumentRefused, check_upload
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.services import programme_historical_ensure
from qingshen.reports import figures as summary
from qingshen.reports import scoping
from qingshen.reports.entered import entered_columns, figures_checked
from qingshen.reports.models import TEXT_VALIDATORS, SummaryFiling, filing_upload_to
from qingshen.trail.services import event_record


class FilingRefused(Refused):
    pass


def _text_checked(value: str) -> str:
    value = (value or "").strip()
    try:
        for validator in TEXT_VALIDATORS:
            validator(value)
    except ValidationError as exc:
        raise FilingRefused(" ".join(exc.messages)) from exc
    return value


def _attachment_checked(upload) -> tuple[str, str]:
    """(content type, SHA-256) of an acceptable attachment, with the same checks as documents."""
    limit = settings.QINGSHEN_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise FilingRefused(
            _("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise FilingRefused(_("The file is empty."))
    try:
        content_type = check_upload(upload)
    except DocumentRefused as exc:
        raise FilingRefused(exc.message) from exc
    sha = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return content_type, sha.hexdigest()


def summary_file(
    *, programme, district, actor, narrative: str = "", work_plan: str = "", attachment=None, today=None
) -> SummaryFiling:
    """Freeze the district's row of the summary table as it is now (a new filing each time), with
    the written summary, next year's work plan and an optional file. The file is stored under a
    staging name before the record and promoted when it commits (core.files.staging)."""
    if not scoping.may_file_summary(actor, programme, district):
        raise FilingRefused
    narrative, work_plan = _text_checked(narrative), _text_checked(work_plan)
    today = today or timezone.localdate()
    filing = SummaryFiling(
        programme=programme, district=district, narrative=narrative, work_plan=work_plan, filed_by=actor
    )
    content_type = ""
    if attachment is not None:
        content_type, filing.attachment_sha256 = _attachment_checked(attachment)
        filing.attachment_name = (attachment.name or "file")[:255]
        filing.attachment_size = attachment.size
        file_stage(filing.attachment, filing_upload_to(filing, filing.attachment_name), attachment)
    with removed_on_failure() as stored:
        if attachment is not None:
            stored.add(filing.attachment)
        with transaction.atomic():
            table = summary.summary_table(
                programme=programme,
                cases=cases_scoping.cases_visible(actor),
                counts=scoping.counts_visible(actor),
                districts=[district],
                today=today,
            )
            # The first milestone still ahead (or the last one) is the one this filing answers.
            milestones = list(programme.milestones.order_by("due_on"))
            filing.milestone = next(
                (m for m in milestones if m.due_on >= today), milestones[-1] if milestones else None
            )
            filing.figures = summary.frozen(table.rows[0][1])
            filing.save()
            if attachment is not None:
                promote_on_commit(filing, "attachment")
            event_record(
                action="summary.file",
                actor=actor,
                obj=filing,
                after={
                    "programme": programme.pk,
                    "district": district.pk,
                    "listed": filing.figures["listed"],
                    "narrative_chars": len(narrative),
                    "work_plan_chars": len(work_plan),
                    "attachment_sha256": filing.attachment_sha256,
                    "attachment_type": content_type,
                },
            )
    return filing


def summary_enter(
    *,
    year: int,
    district,
    actor,
    figures: dict,
    narrative: str = "",
    work_plan: str = "",
    source_file_name: str = "",
    source_file_sha256: str = "",
) -> SummaryFiling:
    """Keep a district's summary table of a year before the system as it typed it in or imported it
    (reports.entered checks it first): a filing marked "entered" in the city's historical programme
    of that year, created closed if the city has none. A year the system ran is refused."""
    if not scoping.may_enter_summary(actor, district):
        raise FilingRefused
    narrative, work_plan = _text_checked(narrative), _text_checked(work_plan)
    checked = figures_checked(entered_columns(), {k: str(v) for k, v in figures.items()})
    with transaction.atomic():
        try:
            programme = programme_historical_ensure(city=district.parent, year=year, actor=actor)
        except ProgrammeError as exc:
            raise FilingRefused(exc.message) from exc
        filing = SummaryFiling.objects.create(
            programme=programme,
            district=district,
            figures=summary.frozen(checked),
            source=SummaryFiling.Source.ENTERED,
            source_file_name=(source_file_name or "")[:255],
            source_file_sha256=source_file_sha256,
            narrative=narrative,
            work_plan=work_plan,
            filed_by=actor,
        )
        event_record(
            action="summary.enter",
            actor=actor,
            obj=filing,
            after={
                "programme": programme.pk,
                "year": year,
                "district": district.pk,
                "listed": checked["listed"],
                "source_file_sha256": source_file_sha256,
            },
        )
    return filing

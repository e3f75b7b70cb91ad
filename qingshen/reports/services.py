from django.db import transaction
from django.utils import timezone

from qingshen.cases import scoping as cases_scoping
from qingshen.core.errors import Refused
from qingshen.reports import figures as summary
from qingshen.reports import scoping
from qingshen.reports.models import SummaryFiling
from qingshen.trail.services import event_record


class FilingRefused(Refused):
    pass


@transaction.atomic
def summary_file(*, programme, district, actor, today=None) -> SummaryFiling:
    """Freeze the district's row of the summary table as it is now (a new filing each time)."""
    if not scoping.may_file_summary(actor, programme, district):
        raise FilingRefused
    today = today or timezone.localdate()
    table = summary.summary_table(
        programme=programme, cases=cases_scoping.cases_visible(actor), districts=[district], today=today
    )
    # The first milestone still ahead (or the last one) is the one this filing answers.
    milestones = list(programme.milestones.order_by("due_on"))
    milestone = next((m for m in milestones if m.due_on >= today), milestones[-1] if milestones else None)
    filing = SummaryFiling.objects.create(
        programme=programme,
        district=district,
        milestone=milestone,
        figures=summary.frozen(table.rows[0][1]),
        filed_by=actor,
    )
    event_record(
        action="summary.file",
        actor=actor,
        obj=filing,
        after={"programme": programme.pk, "district": district.pk, "listed": filing.figures["listed"]},
    )
    return filing

"""The case list's table rows, drawn in Python from the tuples cases.selectors.case_rows_listed reads:
the page is drawn on every visit, and through the template a row (its state label, kind badge,
deadline with a plural translation, its address) cost more than reading it."""

import datetime
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from qingshen.cases.deadlines import days_left
from qingshen.cases.kinds import CaseKind
from qingshen.cases.states import State
from qingshen.core.names import in_language
from qingshen.web.templatetags.case_tags import due_html

# An id no address holds elsewhere, replaced by each row's.
ADDRESS_ID = 918273645

ROW = (
    "\n    <tr>\n      <td>{year}</td>\n"
    '      <td><a href="{url}">{enterprise}</a><div class="small text-muted">{uscc}</div></td>\n'
    "      <td>{district}</td>\n      <td>{state}{badge}</td>\n      <td>{due}</td>\n    </tr>"
)
BADGE = ' <span class="badge text-bg-light border" data-kind="voluntary">{}</span>'


def case_rows_html(cases, today: datetime.date) -> SafeString:
    """The <tr> of each case of the page, every value escaped as the template escaped it."""
    states = {value: escape(str(label)) for value, label in State.choices}
    badge = BADGE.format(escape(str(CaseKind.VOLUNTARY.label)))
    # One reverse for the page: a case's address differs from another's only by its id.
    before, after = (
        escape(part) for part in reverse("case-detail", args=[ADDRESS_ID]).split(str(ADDRESS_ID))
    )
    return mark_safe(  # noqa: S308 (every value above and below is escaped)
        "".join(
            ROW.format(
                year=case.programme__year,
                url=f"{before}{case.pk}{after}",
                enterprise=escape(case.enterprise__name),
                uscc=escape(case.enterprise__uscc),
                district=escape(in_language(case.jurisdiction__name, case.jurisdiction__name_en or "")),
                state=states.get(case.state) or escape(case.state),
                badge=badge if case.kind == CaseKind.VOLUNTARY else "",
                due=due_html(case.next_due_on, days_left(case.next_due_on, today)),
            )
            for case in cases
        )
    )

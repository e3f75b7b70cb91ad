"""The case list's rows with their labels drawn before the template shows them: the page is drawn on
every visit, and a row's state label, kind badge and deadline (an include and a plural translation)
cost more through the template than the rest of the row."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import SafeString

from qingshen.cases.deadlines import days_left
from qingshen.cases.kinds import CaseKind
from qingshen.cases.states import State
from qingshen.web.templatetags.case_tags import due_html


@dataclass(frozen=True, slots=True)
class CaseRow:
    url: str
    year: int
    enterprise: str
    uscc: str
    district: str
    state: str
    voluntary: str  # the kind's label when the row carries the voluntary badge, else ""
    due: SafeString


def case_rows(cases, today: datetime.date) -> list[CaseRow]:
    """One row per case of the page (their enterprise, district and programme selected with them)."""
    states = {value: str(label) for value, label in State.choices}
    voluntary = str(CaseKind.VOLUNTARY.label)
    return [
        CaseRow(
            url=reverse("case-detail", args=[case.pk]),
            year=case.programme.year,
            enterprise=case.enterprise.name,
            uscc=case.enterprise.uscc,
            district=case.jurisdiction.local_name,
            state=states.get(case.state, case.state),
            voluntary=voluntary if case.is_voluntary else "",
            due=due_html(case.next_due_on, days_left(case.next_due_on, today)),
        )
        for case in cases
    ]

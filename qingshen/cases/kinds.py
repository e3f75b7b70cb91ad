"""The kinds of audit case: mandatory (listed under Art. 8 of the 审核办法), voluntary (自愿审核) and group
(行业/园区/集群整体审核: carried by the case of its lead, whose members' own cases it closes when it passes).

Guangdong's platform keeps the two side by side with their own accounts (domain.md §7, §9): every figure
is counted per kind, never mixed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    MANDATORY = "mandatory", _("Mandatory audit")
    VOLUNTARY = "voluntary", _("Voluntary audit")
    GROUP = "group", _("Group audit (industry, park or cluster)")


# The kinds whose case comes from an annual list and so owes the list's duties: disclosure, start and
# report after P, applying for acceptance in time, the bureau organising the reviews unasked, the
# programme's dates. A voluntary case owes none of them; its reviews happen when it applies. A group
# audit is opened on the published list and keeps the year's dates like its members.
LISTED_KINDS = frozenset({CaseKind.MANDATORY, CaseKind.GROUP})


def kind_is_listed(kind: str) -> bool:
    return kind in LISTED_KINDS

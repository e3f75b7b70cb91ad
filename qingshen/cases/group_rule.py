"""Which passed review of a group audit counts its members as audited: a Rule row the city edits."""

from django.utils.translation import gettext_lazy as _

CODE = "group-members-counted-at"
# The rule's amount names the stage: 1 = the group's evaluation passed, 2 = its acceptance passed.
STAGES = {1: "evaluation", 2: "acceptance"}
STAGE_LABELS = {
    "evaluation": _("when the group's evaluation passes"),
    "acceptance": _("when the group's acceptance passes"),
}

RULE = {
    "code": CODE,
    "name": "整体审核成员视同审核的环节（1 = 评估通过，2 = 验收通过）",
    "amount": 1,
    "unit": "count",
    "roll_forward": False,
    "source": (
        "《关于开展清洁生产审核创新试点工作的通知》（环办科财函〔2023〕79号）及第二批试点（261号）："
        "园区、行业、集群整体审核项目通过评估的，其中每家企业视同开展一次清洁生产审核"
    ),
    "basis": "N",
}


def counting_stage() -> str:
    """`evaluation` or `acceptance` as the row says (the seeded default if the row is missing or odd)."""
    from qingshen.procedures.models import Rule

    row = Rule.objects.filter(code=CODE).first()
    return STAGES.get(row.amount if row else RULE["amount"], STAGES[RULE["amount"]])

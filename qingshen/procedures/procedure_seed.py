"""The seed city's power item (履职行权规程) as domain.md §2 describes it."""

PROCEDURE = {
    "number": "",
    "power_type": "other",
    "acting_body": "市生态环境局",
    # The item's name on the bureau's form (domain.md §8).
    "name": "重点企业清洁生产审核评估和验收",
    "scope": "本市行政区域内依法应当实施强制性清洁生产审核的企业",
    "legal_basis": (
        "1.《中华人民共和国清洁生产促进法》第二十七条（节选）：“县级以上地方人民政府有关部门应当对企业实施"
        "强制性清洁生产审核的情况进行监督，必要时可以组织对企业实施清洁生产的效果进行评估验收，所需费用纳入"
        "同级政府预算。承担评估验收工作的部门或者单位不得向被评估验收企业收取费用。”\n"
        "2.《清洁生产审核办法》（国家发展改革委、环境保护部令第38号）第二十条（节能主管部门和环境保护主管部门"
        "按照各自职责组织审核评估和验收）。\n"
        "3.《清洁生产审核评估与验收指南》（环办科技〔2018〕5号）。"
    ),
    "accountability": (
        "1. 对申请材料齐全的企业不予受理审核评估或审核验收申请的；\n"
        "2. 企业已完成清洁生产审核，未组织专家进行审核评估或审核验收的；\n"
        "3. 其他违反法律法规规章规定的行为。"
    ),
    "supervision": "12345 政务服务便民热线。",
    "remedies": (
        "公民、法人或者其他组织认为行政行为侵犯其合法权益的，可以依照《中华人民共和国行政复议法》第二条、"
        "第二十条的规定，自知道或者应当知道该行政行为之日起六十日内申请行政复议；或者依照《中华人民共和国"
        "行政诉讼法》第二条、第四十六条的规定，自知道或者应当知道作出行政行为之日起六个月内提起行政诉讼。"
    ),
    "remarks": "",
}

# The first seed's values (before the bureau's form was followed): a migration replaces those still
# unchanged, and leaves what a bureau edited.
FIRST_SEED = {
    "name": "强制性清洁生产审核",
    "legal_basis": (
        "1.《中华人民共和国清洁生产促进法》第二十七条；\n"
        "2.《清洁生产审核办法》（国家发展改革委、环境保护部令第38号）第八条至第十一条、第二十条；\n"
        "3.《清洁生产审核评估与验收指南》（环办科技〔2018〕5号）。"
    ),
    "supervision": (
        "业务监督电话（由市局填写）；\n12345 政务服务便民热线；\n派驻纪检监察组监督电话（由市局填写）。"
    ),
    "remedies": "行政复议；行政诉讼。",
}

STEPS = [
    {
        "order": 1,
        "name": "确定名单",
        "rule": None,
        "responsible_section": "自然科",
        "time_limit": "按省生态环境厅年度工作安排",
        "description": "按照省生态环境厅年度工作计划，区县生态环境部门汇总并报送候选名单；"
        "省生态环境厅确认并下达年度名单；市、区县生态环境部门书面通知企业。",
    },
    {
        "order": 2,
        "name": "审核评估",
        "rule": "evaluation_review_due",
        "responsible_section": "自然科",
        "time_limit": "评估申请材料齐全后 1 个月内",
        "description": "对评估申请材料齐全的企业，组织专家对其清洁生产审核开展现场评审和会议评审。",
    },
    {
        "order": 3,
        "name": "审核验收",
        "rule": "acceptance_review_due",
        "responsible_section": "自然科",
        "time_limit": "验收申请材料齐全后 1 个月内",
        "description": "对验收申请材料齐全的企业，组织专家对其审核方案实施成效开展现场评审和会议评审。",
    },
    {
        "order": 4,
        "name": "公布结果",
        "rule": None,
        "responsible_section": "自然科",
        "time_limit": "按省生态环境厅通报安排",
        "description": "省生态环境厅通报审核结果；市生态环境局组织区县生态环境部门通知企业。",
    },
]

# English names for English pages, by the Chinese name they translate (migration 0011 fills them in
# where the bureau has not changed the Chinese).
PROCEDURE_NAME_EN = {
    "强制性清洁生产审核": "Mandatory cleaner production audit",
    "重点企业清洁生产审核评估和验收": "Evaluation and acceptance of cleaner production audits of key enterprises",
}
STEP_NAMES_EN = {
    "确定名单": "Determine the list",
    "审核评估": "Audit evaluation",
    "审核验收": "Audit acceptance",
    "公布结果": "Publish the results",
}

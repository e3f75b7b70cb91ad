"""Default checklists, rubrics and the exclusion period (domain.md §1, §6). Seeded once; the city edits them."""

BEIJING = "北京市清洁生产审核验收评分表（2009）的结构：否决项、100 分分项评分、加分项 [L Beijing]"
PASS_MARK_SOURCE = "北京市：综合得分低于 70 分或任一否决项成立即不通过 [L Beijing]；全国未见规定 [U]"  # noqa: S105

CHECKLISTS = {
    "evaluation": [
        ("audit_report", "清洁生产审核报告", "《清洁生产审核评估与验收指南》（环办科技〔2018〕5号）评估材料"),
        ("technical_evidence", "审核报告的技术支撑材料（物料/能量/水平衡测试等）", "环办科技〔2018〕5号"),
        (
            "capacity_proof",
            "咨询服务机构条件证明（《办法》第十六条）或企业自行审核能力证明（第十五、十六条）",
            "《清洁生产审核办法》第十五、十六条",
        ),
        ("application_form", "审核评估申请表", "市局规程"),
    ],
    "acceptance": [
        ("technical_opinion", "清洁生产审核评估技术审查意见", "环办科技〔2018〕5号 验收材料"),
        ("acceptance_report", "清洁生产审核验收报告", "环办科技〔2018〕5号 验收材料"),
        ("monitoring_before", "方案实施前的污染物排放、能源消耗监测报告", "环办科技〔2018〕5号 验收材料"),
        ("monitoring_after", "方案实施后的污染物排放、能源消耗监测报告", "环办科技〔2018〕5号 验收材料"),
        ("application_form", "审核验收申请表", "市局规程"),
    ],
}

# The document type each seeded item is stored as (cases.Document.Kind): its versions are that type's,
# and an application may hand in a current document of that type the case already holds. The two
# monitoring reports share a type; each item keeps its own line of versions (reviews.services.applications).
DOCUMENT_KINDS = {
    ("evaluation", "audit_report"): "audit_report",
    ("evaluation", "technical_evidence"): "technical_evidence",
    ("evaluation", "capacity_proof"): "capacity_proof",
    ("evaluation", "application_form"): "application",
    ("acceptance", "technical_opinion"): "opinion",
    ("acceptance", "acceptance_report"): "acceptance_report",
    ("acceptance", "monitoring_before"): "monitoring_report",
    ("acceptance", "monitoring_after"): "monitoring_report",
    ("acceptance", "application_form"): "application",
}

VETO_ITEMS = [
    "不具备自行审核能力，或委托的咨询服务机构不符合《清洁生产审核办法》第十六条要求",
    "审核重点或清洁生产目标设置错误、存在重大遗漏",
    "违反国家产业政策，或仍使用国家明令淘汰的工艺、设备",
    "对应淘汰的设备无明确淘汰计划",
    "承诺达标的期限超过 2 年",
]

# (category, item, max points): each sheet sums to 100.
SCORED_ITEMS = {
    "evaluation": [
        ("审核报告规范性", "报告编制依据", 4),
        ("审核报告规范性", "报告结构与内容符合 HJ 469 要求", 8),
        ("审核报告规范性", "方案效益汇总与分析", 2),
        ("审核过程", "审核过程真实、资料完整", 14),
        ("审核过程", "污染物产生、能源资源消耗和有毒有害物质评估客观", 14),
        ("审核重点与目标", "审核重点选择合理", 10),
        ("审核重点与目标", "清洁生产目标科学可行", 10),
        ("方案", "无/低费方案基本实施完毕且有成效", 12),
        ("方案", "中/高费方案经可行性分析、能实现目标", 16),
        ("持续清洁生产", "持续清洁生产组织与计划", 10),
    ],
    "acceptance": [
        ("审核报告规范性", "验收报告编制依据与结构", 6),
        ("目标完成", "清洁生产目标完成情况", 20),
        ("方案实施", "中/高费方案实施情况", 20),
        ("方案实施", "无/低费方案持续运行情况", 8),
        ("成效", "环境效益经监测核实", 14),
        ("成效", "经济与能源资源效益核实", 10),
        ("清洁生产水平", "对照行业清洁生产评价指标体系达到的水平", 12),
        ("持续清洁生产", "持续清洁生产机制与下一轮计划", 10),
    ],
}

BONUS_ITEMS = [
    ("加分项", "主要指标达到国际领先水平（一级）", 3),
    ("加分项", "实施行业先进适用技术、成效显著", 2),
]
BONUS_MAX = 5

RUBRIC_NAMES = {
    "evaluation": "清洁生产审核评估评分表（默认）",
    "acceptance": "清洁生产审核验收评分表（默认）",
}

CONSULTANCY_RULE = {
    "code": "expert_consultancy_exclusion",
    "name": "专家回避：近年为该企业提供过咨询服务",
    "amount": 3,
    "unit": "years",
    "roll_forward": False,
    "basis": "U",
    "source": "北京市：专家独立评审，与企业或其咨询机构有利害关系的回避 [L Beijing]；回避年限全国未见规定，默认 3 年，"
    "由市局修改 [U]。",
}

# The panel's rules (domain.md §1 "panel size: 3 or 5 (odd), one chair" [U]) and the scale of the agency
# rating (design.md §2 "quality ratings", no scale given). Read by qingshen.reviews.rules; the amounts are
# counts (experts, sheets, points), not periods: the unit is nominal, and nothing computes a date from them.
# `setting` names the environment variable a deployment set before these were rules: its value is kept
# when the row is first made.
PANEL_RULES = [
    {
        "code": "review_panel_size",
        "name": "评审专家组人数（须为奇数）",
        "amount": 5,
        "unit": "count",
        "roll_forward": False,
        "basis": "U",
        "source": "全国未见规定；各地做法为专家组 3 或 5 人（奇数），设组长一名 [U]。清审默认 5 人，由市局修改；"
        "须为奇数且不少于“评审专家组最少人数”，否则抽取专家被拒绝。",
        "setting": "QINGSHEN_PANEL_SIZE",
    },
    {
        "code": "review_panel_min_size",
        "name": "评审专家组最少人数",
        "amount": 3,
        "unit": "count",
        "roll_forward": False,
        "basis": "U",
        "source": "全国未见规定；各地做法为专家组 3 或 5 人（奇数）[U]。抽取专家时专家组人数不得少于此数。",
        "setting": "QINGSHEN_PANEL_MIN_SIZE",
    },
    {
        "code": "review_trimmed_mean_min_sheets",
        "name": "去掉最高分和最低分所需的最少评分表数",
        "amount": 3,
        "unit": "count",
        "roll_forward": False,
        "basis": "L",
        "source": "清审默认（本地做法，由市局修改）：按去掉一个最高分和一个最低分计算专家组得分时，评分表不少于此数"
        "才去掉，否则取算术平均；少于 3 份按 3 份计（两份都去掉就没有分数了）。",
        "setting": "QINGSHEN_TRIMMED_MEAN_MIN_SHEETS",
    },
    {
        "code": "review_agency_rating_min",
        "name": "专家组对咨询服务机构评分的最低分",
        "amount": 1,
        "unit": "points",
        "roll_forward": False,
        "basis": "L",
        "source": "专家组在评审结论中评价咨询服务机构的服务质量；未见规定分制。清审默认 1—5 分（本地做法，由市局修改）。",
        "setting": "QINGSHEN_AGENCY_RATING_MIN",
    },
    {
        "code": "review_agency_rating_max",
        "name": "专家组对咨询服务机构评分的最高分",
        "amount": 5,
        "unit": "points",
        "roll_forward": False,
        "basis": "L",
        "source": "专家组在评审结论中评价咨询服务机构的服务质量；未见规定分制。清审默认 1—5 分（本地做法，由市局修改）。",
        "setting": "QINGSHEN_AGENCY_RATING_MAX",
    },
]

# The shortest acceptance time limit the evaluation opinion may set (提出验收时限, domain.md §8 [L Chongqing]);
# the longest is the rule "acceptance_apply_due" (procedures.rules_seed). Read by reviews.acceptance_limit.
ACCEPTANCE_LIMIT_RULES = [
    {
        "code": "acceptance_limit_min",
        "name": "评估意见提出的验收时限最短期限（自评估通过之日起）",
        "amount": 3,
        "unit": "months",
        "roll_forward": True,
        "basis": "U",
        "source": "重庆市：完成评估并反馈技术审查意见，提出验收时限 [L Chongqing]；最短期限未见规定 [U]。"
        "清审默认自评估通过之日起 3 个月（方案实施需要时间），由市局修改；最长期限为“通过评估后申请验收期限”。",
    },
]

# Review meetings (qingshen.reviews.meetings): the revision period the panel gives and the 公示 of results.
MEETING_RULES = [
    {
        "code": "review_revision_days",
        "name": "专家组提出修改完善意见后企业提交修改稿的期限",
        "amount": 15,
        "unit": "days",
        "roll_forward": True,
        "basis": "U",
        "source": "做法：评估、验收会上专家组提出修改完善意见，企业修改完善后由专家组长确认（清审 issue 19）；"
        "期限未见规定 [U]。清审默认 15 日（专家组可另定），由市局修改。",
    },
    {
        "code": "review_publicity_days",
        "name": "评估验收结果公示期",
        "amount": 5,
        "unit": "working_days",
        "roll_forward": True,
        "basis": "U",
        "source": "评估验收结果经公示后分批公布 [L Tai'an; Shenzhen]（domain.md §8）；公示天数未见规定 [U]。"
        "清审默认 5 个工作日（政府公示的常见做法），公示期内可提出异议，组织单位须逐一答复，由市局修改。",
    },
]

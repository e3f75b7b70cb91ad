"""The default time limits of domain.md, each with its source. Seeded once; the city edits the rows."""

DEFAULT_RULES = [
    {
        "code": "disclosure_due",
        "name": "企业信息公布期限（名单公布后）",
        "amount": 1,
        "unit": "months",
        "basis": "N",
        "source": "《清洁生产审核办法》（国家发展改革委 环境保护部令第38号）第十一条：名单公布后一个月内公布企业信息；"
        "各地通知均引用。",
    },
    {
        "code": "audit_start_due",
        "name": "开展清洁生产审核期限（名单公布后）",
        "amount": 2,
        "unit": "months",
        "basis": "N",
        "source": "《清洁生产审核办法》第十一条：名单公布后两个月内开展清洁生产审核。",
    },
    {
        "code": "report_due",
        "name": "完成审核并提交审核报告期限（名单公布后）",
        "amount": 1,
        "unit": "years",
        "basis": "N",
        "source": "《清洁生产审核办法》第十一条：名单公布后一年内完成清洁生产审核，报送审核报告。",
    },
    {
        "code": "application_check_due",
        "name": "评估/验收申请材料受理审查时限",
        "amount": 5,
        "unit": "working_days",
        "basis": "U",
        "source": "未见全国规定；按行政机关受理审查的通常做法默认 5 个工作日，由市局按本地规程修改。",
    },
    {
        "code": "evaluation_review_due",
        "name": "材料齐全后组织审核评估时限",
        "amount": 1,
        "unit": "months",
        "basis": "L",
        "source": "河北省、云霄县实践：申请材料齐全后一个月内完成评估。",
    },
    {
        "code": "acceptance_apply_due",
        "name": "通过评估后申请验收期限",
        "amount": 1,
        "unit": "years",
        "basis": "L",
        "source": "武汉市：评估通过后一年内申请验收（广东省：最长不超过两年）。",
    },
    {
        "code": "acceptance_review_due",
        "name": "材料齐全后组织审核验收时限",
        "amount": 1,
        "unit": "months",
        "basis": "L",
        "source": "河北省实践：验收申请材料齐全后一个月内完成验收。",
    },
    {
        "code": "expert_materials_lead",
        "name": "会前向专家送达报告的提前量",
        "amount": 3,
        "unit": "working_days",
        "roll_forward": False,
        "basis": "L",
        "source": "湖南省：评审会前 3 个工作日将报告送达专家。",
    },
    {
        "code": "hazardous_reaudit_max",
        "name": "“双有”企业两次审核最长间隔",
        "amount": 5,
        "unit": "years",
        "basis": "N",
        "source": "《清洁生产审核办法》第八条：使用有毒有害原料或排放有毒有害物质的企业每五年至少开展一次审核。",
    },
]

# Early-warning thresholds (issue 6): every rule whose code starts with WARNING_PREFIX is one "upcoming"
# threshold, in calendar days before the due date. The city adds, removes or edits them.
WARNING_PREFIX = "warning_upcoming_"
WARNING_RULES = [
    {
        "code": "warning_upcoming_week",
        "name": "到期前预警（一周）",
        "amount": 7,
        "unit": "days",
        "basis": "L",
        "roll_forward": False,
        "source": "清审默认：到期前 7 日提醒经办人和企业（本地做法，由市局修改）。",
    },
    {
        "code": "warning_upcoming_day",
        "name": "到期前预警（一日）",
        "amount": 1,
        "unit": "days",
        "basis": "L",
        "roll_forward": False,
        "source": "清审默认：到期前 1 日再次提醒（本地做法，由市局修改）。",
    },
]

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

# 追责情形 2 (a finished audit not given an expert evaluation or acceptance): how long the organiser has,
# from the report (or from the evaluation's pass), before the review must have been organised. No text
# sets these: [U] defaults the city edits.
REVIEW_ORGANISE_RULES = [
    {
        "code": "evaluation_organise_due",
        "name": "提交审核报告后组织审核评估时限",
        "amount": 3,
        "unit": "months",
        "basis": "U",
        "source": "未见规定。规程追责情形“企业已完成清洁生产审核，未组织专家进行审核评估或审核验收的”需要一个时限："
        "默认审核报告提交后 3 个月内（企业申请、材料审查、组织评估所需时间）已组织评估，由市局按本地规程修改 [U]。",
    },
    {
        "code": "acceptance_organise_due",
        "name": "通过评估（方案实施）后组织审核验收时限",
        "amount": 13,
        "unit": "months",
        "basis": "U",
        "source": "未见规定。默认为通过评估后申请验收期限（武汉市：1 年）加组织验收所需 1 个月，"
        "即通过评估后 13 个月内已组织验收，由市局按本地规程修改 [U]。",
    },
]

# Early-warning thresholds: every rule whose code starts with WARNING_PREFIX is one "upcoming"
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

# Violation types with the law's fine bounds (yuan) and citations.
VIOLATION_TYPES = [
    {
        "code": "art36_not_disclosed",
        "name": "未按规定公布能源消耗或者重点污染物产生、排放情况",
        "party": "enterprise",
        "fine_min": 0,
        "fine_max": 100_000,
        "publishes_name": False,
        "citation": "《中华人民共和国清洁生产促进法》第三十六条：违反本法第十七条第二款规定，未按照规定公布能源消耗"
        "或者重点污染物产生、排放情况的，由县级以上地方人民政府负责清洁生产综合协调的部门、环境保护部门按照职责"
        "分工责令公布，可以处十万元以下的罚款。",
    },
    {
        "code": "art39_no_audit",
        "name": "不实施强制性清洁生产审核、审核中弄虚作假或者不报告、不如实报告审核结果",
        "party": "enterprise",
        "fine_min": 50_000,
        "fine_max": 500_000,
        "publishes_name": False,
        "citation": "《中华人民共和国清洁生产促进法》第三十九条：违反本法第二十七条第二款、第四款规定，不实施强制性"
        "清洁生产审核或者在清洁生产审核中弄虚作假的，或者实施强制性清洁生产审核的企业不报告或者不如实报告审核结果"
        "的，由县级以上地方人民政府负责清洁生产综合协调的部门、环境保护部门按照职责分工责令限期改正；拒不改正的，"
        "处以五万元以上五十万元以下的罚款。",
    },
    {
        "code": "measures35_agency",
        "name": "咨询服务机构不负责任或者弄虚作假，致使审核报告严重失实",
        "party": "agency",
        "fine_min": 0,
        "fine_max": 0,
        "publishes_name": True,
        "citation": "《清洁生产审核办法》第三十五条：咨询服务机构不负责任或者弄虚作假，致使审核报告严重失实的，由"
        "节能主管部门、环境保护主管部门责令改正，并公布其名单（以本地执行文本为准）。",
    },
]

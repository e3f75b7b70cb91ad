"""The rules of the annual disclosure (部令第24号), seeded by a migration; the city edits the rows."""

DUE_MONTH = "annual_disclosure_due_month"
DUE_DAY = "annual_disclosure_due_day"
YEARS_AFTER_ACCEPTANCE = "annual_disclosure_years_after_acceptance"

ANNUAL_DISCLOSURE_RULES = [
    {
        "code": DUE_MONTH,
        "name": "年度环境信息依法披露报告截止月份（次年）",
        "amount": 3,
        "unit": "count",
        "roll_forward": False,
        "basis": "N",
        "source": "《企业环境信息依法披露管理办法》（生态环境部令第24号）第十七条：企业应当于每年3月15日前"
        "披露上一年度1月1日至12月31日的环境信息。",
    },
    {
        "code": DUE_DAY,
        "name": "年度环境信息依法披露报告截止日（次年该月）",
        "amount": 15,
        "unit": "count",
        "roll_forward": False,
        "basis": "N",
        "source": "《企业环境信息依法披露管理办法》（生态环境部令第24号）第十七条：每年3月15日前。",
    },
    {
        "code": YEARS_AFTER_ACCEPTANCE,
        "name": "通过验收后仍须年度披露审核情况的年数",
        "amount": 0,
        "unit": "years",
        "roll_forward": False,
        "basis": "U",
        "source": "《企业环境信息依法披露管理办法》（生态环境部令第24号）第十四条：实施强制性清洁生产审核的企业"
        "披露年度环境信息时，还应当披露实施强制性清洁生产审核的原因、实施情况、评估与验收结果。"
        "披露年份：自名单公布之年起，至通过验收之年止，另加本规则的年数；默认 0。"
        "第十条对纳入企业名单的延续期另有规定（据信延续至完成验收后的第三年，本系统未见原文），"
        "如经核实由市局改为 3。",
    },
]

"""The rules this package reads, as the data migration seeds it (the city edits the row afterwards)."""

PLAN_YEARS_RULE = {
    "code": "plan_list_years",
    "name": "计划名单（附件4）覆盖的年数（名单年度之后）",
    "amount": 2,
    "unit": "years",
    "roll_forward": False,
    "basis": "L",
    "source": "重庆市2021年度强制性清洁生产审核工作通知：附件4 为此后两年（2022—2023年）的清洁生产审核计划名单，"
    "区县于3月19日前报送 [L Chongqing]。其他地方按本地通知由市局修改。",
}

# Sanity bounds of a programme's dates, so that a mistyped year (2062 for 2026) is refused.
PROGRAMME_YEAR_SPAN_RULE = {
    "code": "programme_year_span",
    "name": "年度工作的名单年度可在当前年度前后的年数",
    "amount": 10,
    "unit": "years",
    "roll_forward": False,
    "basis": "U",
    "source": "录入历史年度（地方通知附件2、附件3载有此前两年的案件和总结，市局多从表格起步）所需的范围；"
    "之后同样年数内可提前建立。非法规规定，市局可修改 [U]。",
}
PROGRAMME_DATE_WINDOW_RULE = {
    "code": "programme_date_window",
    "name": "年度工作的文件日期和节点日期可在名单年度前后的年数",
    "amount": 1,
    "unit": "years",
    "roll_forward": False,
    "basis": "U",
    "source": "通知于名单年度之初或上一年度印发，节点（计划名单、总结、评估验收）落在名单年度内或其后一年。"
    "非法规规定，市局可修改 [U]。",
}

"""The rule this package reads, as the data migration seeds it (the city edits the row afterwards)."""

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

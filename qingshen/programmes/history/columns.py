"""The columns of the history template (one row per enterprise per year) and reading its cells.

The enterprise's columns are the list import's (imports.rows); the round's follow. Headers are data,
written in Chinese as the bureaus' spreadsheets are; English aliases are accepted as in the list import.
"""

import datetime
import re

from qingshen.cases.history import FAILED, PASSED
from qingshen.cases.states import Level
from qingshen.programmes.imports import rows as list_rows

# The round's columns in template order (the history-specific ones come first in ALIASES so that a
# header such as 撤销原因 is not taken for the list's 纳入原因).
HEADERS = {
    "year": "年度",
    "seq": "序号",
    "district": "区县",
    "name": "企业名称",
    "uscc": "统一社会信用代码",
    "industry": "行业代码",
    "grounds": "纳入类型",
    "published_on": "名单公布日期",
    "disclosed_on": "信息公开日期",
    "audit_started_on": "审核开始日期",
    "report_submitted_on": "审核报告提交日期",
    "evaluation": "评估结论",
    "evaluation_on": "评估日期",
    "acceptance_due_on": "验收时限",
    "acceptance": "验收结论",
    "acceptance_on": "验收日期",
    "level": "清洁生产水平",
    "result_published_on": "结果公布日期",
    "withdrawn_on": "撤销日期",
    "withdrawn_reason": "撤销原因",
    "agency": "咨询机构",
}
ROUND_ALIASES = {
    "result_published_on": ["结果公布日期", "公布结果日期", "验收结果公布日期", "resultpublished"],
    "published_on": ["名单公布日期", "名单发布日期", "公布日期", "listpublished", "publishedon"],
    "disclosed_on": ["信息公开日期", "信息公布日期", "公开日期", "disclosed"],
    "audit_started_on": ["审核开始日期", "开展审核日期", "启动审核日期", "auditstarted"],
    "report_submitted_on": ["审核报告提交日期", "报告提交日期", "提交报告日期", "reportsubmitted"],
    "evaluation_on": ["评估日期", "评估时间", "evaluationdate", "evaluatedon"],
    "evaluation": ["评估结论", "评估结果", "evaluation"],
    "acceptance_due_on": ["验收时限", "验收期限", "acceptancedeadline", "acceptancedue"],
    "acceptance_on": ["验收日期", "验收时间", "acceptancedate", "acceptedon"],
    "acceptance": ["验收结论", "验收结果", "acceptance"],
    "level": ["清洁生产水平", "清洁生产等级", "水平等级", "level"],
    "withdrawn_reason": ["撤销原因", "撤出原因", "withdrawnreason", "withdrawalreason"],
    "withdrawn_on": ["撤销日期", "撤出日期", "withdrawnon", "withdrawn"],
    "agency": ["咨询机构", "咨询服务机构", "技术服务机构", "agency"],
    "year": ["年度", "名单年度", "审核年度", "year"],
}
LIST_FIELDS = ("seq", "district", "name", "uscc", "industry", "grounds")
ALIASES = {**ROUND_ALIASES, **{f: list_rows.ALIASES[f] for f in LIST_FIELDS}}
REQUIRED = ("year", "name", "uscc", "grounds", "published_on")
DATE_FIELDS = (
    "published_on",
    "disclosed_on",
    "audit_started_on",
    "report_submitted_on",
    "evaluation_on",
    "acceptance_due_on",
    "acceptance_on",
    "result_published_on",
    "withdrawn_on",
)

_OUTCOMES = {
    PASSED: ["通过", "合格", "pass", "passed", "是"],
    FAILED: ["不通过", "未通过", "不合格", "fail", "failed", "否"],
}
_OUTCOME = {w: o for o, words in _OUTCOMES.items() for w in words}
_LEVELS = {
    Level.I: ["i", "1", "一", "一级", "i级", "ⅰ", "ⅰ级", "国际清洁生产领先水平", "国际领先"],
    Level.II: ["ii", "2", "二", "二级", "ii级", "ⅱ", "ⅱ级", "国内清洁生产先进水平", "国内先进"],
    Level.III: ["iii", "3", "三", "三级", "iii级", "ⅲ", "ⅲ级", "国内清洁生产一般水平", "国内一般"],
}
_LEVEL = {w: lv for lv, words in _LEVELS.items() for w in words}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(raw: str) -> tuple[datetime.date | None, bool]:
    """(date, ok) from 2020-05-01, 2020/5/1, 2020.5.1, 2020年5月1日, 20200501 or a date cell; ("" → None, True)."""
    text = list_rows.clean_text(raw)
    if not text:
        return None, True
    m = _DATE.match(text) or _COMPACT.match(text)
    if not m:
        return None, False
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), True
    except ValueError:
        return None, False


def parse_outcome(raw: str) -> tuple[str, bool]:
    text = list_rows.clean_text(raw).lower()
    if not text:
        return "", True
    outcome = _OUTCOME.get(text)
    return (outcome, True) if outcome else ("", False)


def parse_level(raw: str) -> tuple[str, bool]:
    text = list_rows.squash(raw).removesuffix("水平") if raw else ""
    if not text:
        return "", True
    level = _LEVEL.get(text) or _LEVEL.get(text.removesuffix("级"))
    return (level, True) if level else ("", False)


def match_header(cells: list[str]) -> dict[str, int]:
    return list_rows.match_header(cells, ALIASES, REQUIRED)


TEMPLATE_WIDTHS = {"name": 30, "uscc": 22, "grounds": 14, "withdrawn_reason": 24, "agency": 24}
TEMPLATE_EXAMPLE = {
    "year": "2020",
    "seq": "1",
    "district": "",
    "name": "示例化工有限公司",
    "uscc": "91110108551385082Q",
    "industry": "2614",
    "grounds": "双有",
    "published_on": "2020-02-08",
    "disclosed_on": "2020-03-01",
    "audit_started_on": "2020-03-20",
    "report_submitted_on": "2020-11-30",
    "evaluation": "通过",
    "evaluation_on": "2021-01-15",
    "acceptance_due_on": "2022-01-15",
    "acceptance": "",
    "acceptance_on": "",
    "level": "",
    "result_published_on": "",
    "withdrawn_on": "",
    "withdrawn_reason": "",
    "agency": "",
}

"""The columns of the permit system's export as the template has them: one row per permitted pollutant
(a registration, or a permit without limits, has one row with the pollutant cells blank). Headers are
data, in Chinese as the export writes them; a few spellings of each are accepted."""

import re
from decimal import Decimal, InvalidOperation

from qingshen.programmes.history.columns import parse_date  # noqa: F401  (the same date spellings)
from qingshen.programmes.imports import rows as list_rows

HEADERS = {
    "number": "许可证编号",
    "name": "单位名称",
    "uscc": "统一社会信用代码",
    "management_class": "管理类别",
    "issuing_authority": "发证机关",
    "valid_from": "有效期起",
    "valid_to": "有效期至",
    "outlet": "排放口编号",
    "pollutant": "污染物种类",
    "limit_value": "许可排放限值",
    "unit": "计量单位",
}
ALIASES = {
    "number": ["许可证编号", "排污许可证编号", "登记编号", "证书编号", "permitnumber"],
    "uscc": ["统一社会信用代码", "社会信用代码", "credit", "uscc"],
    "name": ["单位名称", "企业名称", "排污单位名称", "enterprise"],
    "management_class": ["管理类别", "管理类型", "类别", "class"],
    "issuing_authority": ["发证机关", "核发机关", "审批部门", "authority"],
    "valid_from": ["有效期起", "有效期开始", "有效期自", "validfrom"],
    "valid_to": ["有效期至", "有效期止", "有效期截止", "validto"],
    "outlet": ["排放口编号", "排放口", "outlet"],
    "pollutant": ["污染物种类", "污染物名称", "污染物", "pollutant"],
    "limit_value": ["许可排放限值", "许可限值", "排放限值", "limit"],
    "unit": ["计量单位", "限值单位", "单位", "unit"],
}
REQUIRED = ("number", "uscc", "management_class", "valid_from", "valid_to")
POLLUTANT_FIELDS = ("pollutant", "limit_value", "unit")

_CLASSES = {
    "key": ["重点", "重点管理", "key"],
    "simplified": ["简化", "简化管理", "simplified"],
    "registration": ["登记", "登记管理", "排污登记", "registration"],
}
_CLASS = {w: c for c, words in _CLASSES.items() for w in words}
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def parse_class(raw: str) -> str:
    return _CLASS.get(list_rows.squash(raw), "")


def parse_limit(raw: str) -> Decimal | None:
    text = list_rows.clean_text(raw).replace(",", "")
    if not _NUMBER.match(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value >= 0 else None


def match_header(cells: list[str]) -> dict[str, int]:
    return list_rows.match_header(cells, ALIASES, REQUIRED)


TEMPLATE_WIDTHS = {"number": 26, "name": 28, "uscc": 22, "issuing_authority": 22, "pollutant": 16}
TEMPLATE_EXAMPLE = {
    "number": "91110108551385082Q001P",
    "name": "示例化工有限公司",
    "uscc": "91110108551385082Q",
    "management_class": "重点管理",
    "issuing_authority": "示例市生态环境局",
    "valid_from": "2023-01-01",
    "valid_to": "2027-12-31",
    "outlet": "DW001",
    "pollutant": "化学需氧量",
    "limit_value": "50",
    "unit": "mg/L",
}

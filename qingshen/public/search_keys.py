"""Pinyin initials of enterprise names (e.g. 重庆市三峰 → "cqssf"), for the public search."""

import re

from pypinyin import Style, lazy_pinyin

_NOT_KEY = re.compile(r"[^a-z0-9]")


def initials_of(name: str) -> str:
    letters = lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="default")
    return _NOT_KEY.sub("", "".join(letters).lower())[:200]

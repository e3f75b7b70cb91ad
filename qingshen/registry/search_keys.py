"""Pinyin keys of enterprise names, for searching by pinyin anywhere in the name: the initials
(重庆清审测试化工 → "cqqscshg") and the full pinyin ("chongqingqingshenceshihuagong"). A query
such as `qscs` or `ceshi` matches a key that contains it."""

import re

from django.db.models import Q
from pypinyin import Style, lazy_pinyin

_NOT_KEY = re.compile(r"[^a-z0-9]")
_QUERY = re.compile(r"^[a-z0-9]{2,}$")
# What a user may type between syllables: "chong qing", "xi'an".
_QUERY_NOISE = re.compile(r"[\s'’·-]+")
INITIALS_MAX = 200
FULL_MAX = 600


def _key(syllables: list[str], limit: int) -> str:
    return _NOT_KEY.sub("", "".join(syllables).lower())[:limit]


def initials_of(name: str) -> str:
    return _key(lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="default"), INITIALS_MAX)


def pinyin_of(name: str) -> str:
    """Full pinyin without tones or separators; pypinyin's phrase dictionary reads 重庆 as chongqing."""
    return _key(lazy_pinyin(name or "", style=Style.NORMAL, errors="default"), FULL_MAX)


def query_key(q: str) -> str | None:
    """The query as a pinyin key, or None when it is not one (Chinese characters, one letter)."""
    key = _QUERY_NOISE.sub("", (q or "").strip().lower())
    return key if _QUERY.match(key) else None


def pinyin_match(q: str, field: str = "pk") -> Q | None:
    """Rows whose enterprise (`field` holds its id) has the query in its initials or full pinyin."""
    key = query_key(q)
    if key is None:
        return None
    from qingshen.registry.models import SearchKey

    keys = SearchKey.objects.filter(Q(initials__contains=key) | Q(full__contains=key))
    return Q(**{f"{field}__in": keys.values("enterprise_id")})

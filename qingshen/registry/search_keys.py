"""Pinyin keys of enterprise names, for searching by pinyin anywhere in the name: the initials
(重庆清审测试化工 → "cqqscshg") and the full pinyin ("chongqingqingshenceshihuagong"). A query
such as `qscs` or `ceshi` matches a key that contains it."""

import functools
import re

from django.db.models import Q
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import RE_HANS
from pypinyin.converter import DefaultConverter
from pypinyin.core import Pinyin

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


_AS_IS = (
    "\x00"  # marks what pypinyin left as it is (no pinyin): the initials keep it whole, as FIRST_LETTER does
)
WORD_CACHE = 50_000  # words whose syllables are kept: names share most of theirs (有限公司, 科技, 重庆)


def _as_is(chars: str) -> str:
    return _AS_IS + chars


_converter = DefaultConverter()


@functools.lru_cache(maxsize=WORD_CACHE)
def _word(word: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p) for p in _converter.convert(word, Style.NORMAL, False, _as_is, True))


class _WordCached(DefaultConverter):
    """pypinyin's own conversion of each segmented word, remembered (keys_of's settings only)."""

    def convert(self, words, style, heteronym, errors, strict, **kwargs):
        if not RE_HANS.match(words):  # digits and letters: nothing to look up, nothing worth keeping
            return _converter.convert(words, style, heteronym, errors, strict)
        return [list(p) for p in _word(words)]


_pinyin = Pinyin(converter=_WordCached())


def keys_of(name: str) -> tuple[str, str]:
    """(initials_of(name), pinyin_of(name)) from one reading of the name: pypinyin's FIRST_LETTER is
    the first letter of each NORMAL syllable, so one pass gives both (the costly part is reading)."""
    items = _pinyin.lazy_pinyin(name or "", style=Style.NORMAL, errors=_as_is)
    initials = [i[1:] if i[:1] == _AS_IS else i[:1] for i in items]
    full = [i[1:] if i[:1] == _AS_IS else i for i in items]
    return _key(initials, INITIALS_MAX), _key(full, FULL_MAX)


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

"""The Chinese catalog is complete and the compiled .mo matches the .po that is committed."""

import gettext
import re
from pathlib import Path

import qingshen

LOCALE = Path(qingshen.__file__).parent / "locale"
# The flags line ("#, fuzzy") may follow the references ("#: …"): read every comment line.
ENTRY = re.compile(
    r'((?:#.*\n)*)(?:msgctxt "(.*?)"\n)?msgid "(.*?)"\n((?:".*"\n)*)msgstr(?:\[0\])? "(.*?)"\n((?:".*"\n)*)',
    re.M,
)


def _entries(po: Path):
    text = po.read_text(encoding="utf-8")
    for m in ENTRY.finditer(text):
        comments, context, first, more, sfirst, smore = m.groups()
        fuzzy = re.search(r"^#,.*\bfuzzy\b", comments, re.M)
        msgid = first + "".join(re.findall(r'"(.*)"', more))
        msgstr = sfirst + "".join(re.findall(r'"(.*)"', smore))
        if msgid:
            yield (context, msgid) if context else msgid, msgstr, bool(fuzzy)


def test_every_chinese_message_is_translated():
    entries = list(_entries(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert len(entries) > 300
    missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert missing == []


def test_compiled_catalog_matches_the_source():
    mo = gettext.GNUTranslations(open(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.mo", "rb"))  # noqa: SIM115
    po = {msgid: msgstr for msgid, msgstr, _ in _entries(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po")}

    def unescape(s):
        return s.encode("raw_unicode_escape").decode("unicode_escape") if "\\" in s else s

    def lookup(key):
        if isinstance(key, tuple):
            return mo.pgettext(key[0], unescape(key[1]))
        return mo.gettext(unescape(key))

    stale = [k for k, v in po.items() if "%(" not in str(k) and lookup(k) != unescape(v)]
    assert stale == [], "run `make messages` to recompile"

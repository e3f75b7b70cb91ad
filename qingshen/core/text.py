"""The character rules for every text that enters: addresses, query strings, forms, imports and API bodies.

- Control characters (C0, DEL and C1) are refused everywhere, except tab, line feed and carriage return
  in multi-line text. PostgreSQL cannot store NUL at all (a request carrying one was a 500), and the
  others are invisible on screen and in print.
- Bidirectional formatting characters (embeddings, overrides, isolates and the direction marks) are
  refused in names, addresses and codes: they reorder what is displayed ("Trojan Source",
  CVE-2021-42574), so a name on a public page could read differently from what is stored and searched.
  No Chinese or English name needs them. A name is also one line: no tab or line break.

The entry points call these functions; none writes its own character test: the request middleware
(accounts/input_middleware.py), the model and form field validators below, and the import checks
(files/row_checks.py).
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Allowed in multi-line text (a textarea, a JSON string); a name or a query string takes none of them.
LINE_WHITESPACE = frozenset("\t\n\r")
# U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates, U+200E/U+200F and U+061C the marks.
BIDI_CHARACTERS = frozenset(
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)
)

# Full sentences without a subject: shown under a form field, in an import's row report and on the
# refusal page, each of which names the field or cell itself.
CONTROL_MESSAGE = _(
    "Contains an invisible control character (%(char)s) that cannot be stored: type the text again "
    "instead of pasting it."
)
LINE_MESSAGE = _("Must be a single line: it contains a tab or a line break (%(char)s).")
BIDI_MESSAGE = _(
    "Contains an invisible text-direction character (%(char)s) that would make it display differently "
    "from what is stored: type the text again instead of pasting it."
)


def is_control(ch: str) -> bool:
    """C0, DEL and C1 controls, and lone surrogates (a JSON body can carry one; no encoding stores it)."""
    code = ord(ch)
    return code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF


def describe(ch: str) -> str:
    """U+202E RIGHT-TO-LEFT OVERRIDE; control characters have no Unicode name, only their number."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}".strip()


# is_control as one character class per (multiline, c1), searched at C speed (an import checks every cell).
_CONTROLS = {
    (multiline, c1): re.compile(
        "["
        + ("\x00-\x08\x0b\x0c\x0e-\x1f" if multiline else "\x00-\x1f")
        + ("\x7f-\x9f" if c1 else "\x7f")
        + "\ud800-\udfff]"
    )
    for multiline in (False, True)
    for c1 in (False, True)
}
_BIDI = re.compile("[" + "".join(sorted(BIDI_CHARACTERS)) + "]")
# Anything problem() could refuse, in one search: most texts have none and are passed at once.
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff" + "".join(sorted(BIDI_CHARACTERS)) + "]")


def first_control(text: str, *, multiline: bool = False, c1: bool = True) -> str | None:
    """The first refused control character of `text`, or None. `c1=False` leaves U+0080–U+009F alone:
    a request header reaches Django decoded as Latin-1, where they are the bytes of UTF-8 text."""
    found = _CONTROLS[(bool(multiline), bool(c1))].search(text)
    return found.group() if found else None


def first_bidi(text: str) -> str | None:
    found = _BIDI.search(text)
    return found.group() if found else None


def problem(*texts, multiline: bool = False, bidi: bool = False) -> str | None:
    """What is wrong with the first of `texts` that breaks the rules (a sentence in the user's language),
    or None. `multiline` allows tab and line breaks; `bidi` refuses text-direction characters too."""
    for text in texts:
        if not isinstance(text, str) or not text or not _SUSPECT.search(text):
            continue
        ch = first_control(text, multiline=multiline)
        if ch is not None:
            message = LINE_MESSAGE if ch in LINE_WHITESPACE else CONTROL_MESSAGE
            return str(message % {"char": describe(ch)})
        ch = first_bidi(text) if bidi else None
        if ch is not None:
            return str(BIDI_MESSAGE % {"char": describe(ch)})
    return None


def name_problem(*texts) -> str | None:
    """The rules of names, addresses and codes: one line, no control or text-direction character."""
    return problem(*texts, bidi=True)


@deconstructible(path="qingshen.core.text.ControlCharacterValidator")
class ControlCharacterValidator:
    """Django validator: no control characters (tab and line breaks allowed when `multiline`)."""

    code = "control_characters_not_allowed"

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value):
        ch = first_control(str(value), multiline=self.multiline)
        if ch is not None:
            message = LINE_MESSAGE if ch in LINE_WHITESPACE else CONTROL_MESSAGE
            raise ValidationError(message, code=self.code, params={"char": describe(ch)})

    def __eq__(self, other):
        return isinstance(other, ControlCharacterValidator) and other.multiline == self.multiline


@deconstructible(path="qingshen.core.text.BidiCharacterValidator")
class BidiCharacterValidator:
    """Django validator for names, addresses and codes: no text-direction characters."""

    code = "bidi_characters_not_allowed"

    def __call__(self, value):
        ch = first_bidi(str(value))
        if ch is not None:
            raise ValidationError(BIDI_MESSAGE, code=self.code, params={"char": describe(ch)})

    def __eq__(self, other):
        return isinstance(other, BidiCharacterValidator)


# The validators of a name, an address or a code (model and form fields): one line, no direction marks.
NAME_VALIDATORS = [ControlCharacterValidator(), BidiCharacterValidator()]
# Multi-line text shown on public pages (an enterprise's disclosure): line breaks, no direction marks.
PUBLIC_TEXT_VALIDATORS = [ControlCharacterValidator(multiline=True), BidiCharacterValidator()]

"""统一社会信用代码 (GB 32100-2015): normalisation, positions 1–2 and the check character (domain.md §5).

Hand-written because python-stdnum's cn.uscc rejects valid codes whose registration authority is a
letter (A, N, Y); the algorithm is the standard's, the vectors are in the tests. The authorities and the
entity types each assigns are data (uscc_authorities.py).
"""

import re
import unicodedata

from qingshen.registry.uscc_authorities import AUTHORITIES

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_PLAIN = re.compile(r"[0-9A-Z]+")  # already canonical: NFKC and upper case leave it as it is


class InvalidCode(ValueError):
    """The code is not a valid 统一社会信用代码; `reason` says why in the user's language."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


def normalise(raw: str) -> str:
    """What people type → canonical form: full-width to half-width, no spaces or dashes, upper case."""
    if raw and _PLAIN.fullmatch(raw):
        return raw
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-－_").upper()


def check_character(first17: str) -> str:
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate(raw: str) -> str:
    """Return the normalised code or raise InvalidCode with a reason."""
    from django.utils.translation import gettext_lazy as _

    code = normalise(raw)
    if len(code) != LENGTH:
        raise InvalidCode(
            _("A unified social credit code has 18 characters; this one has %(n)d.") % {"n": len(code)}
        )
    bad = [ch for ch in code if ch not in _VALUE]
    if bad:
        raise InvalidCode(
            _(
                "The character %(ch)s cannot appear in a unified social credit code (I, O, S, V and Z are never used)."
            )
            % {"ch": bad[0]}
        )
    if code[0] not in AUTHORITIES:
        raise InvalidCode(
            _("The first character %(ch)s is not a registration authority of GB 32100 (1 to 9, A, N or Y).")
            % {"ch": code[0]}
        )
    authority, types = AUTHORITIES[code[0]]
    if code[1] not in types:
        raise InvalidCode(
            _(
                "The second character %(ch)s is not an entity type that authority %(code)s (%(authority)s) "
                "assigns: it uses %(allowed)s."
            )
            % {"ch": code[1], "code": code[0], "authority": authority, "allowed": "、".join(types)}
        )
    if not code[2:8].isdigit():
        raise InvalidCode(_("Characters 3 to 8 must be the six-digit region code."))
    expected = check_character(code[:17])
    if code[17] != expected:
        raise InvalidCode(
            _("The check character is wrong: the last character should be %(expected)s, not %(got)s.")
            % {"expected": expected, "got": code[17]}
        )
    return code


def is_valid(raw: str) -> bool:
    try:
        validate(raw)
    except InvalidCode:
        return False
    return True


def django_validator(value: str) -> None:
    from django.core.exceptions import ValidationError

    try:
        validate(value)
    except InvalidCode as exc:
        raise ValidationError(exc.reason, code="invalid_uscc") from exc

"""排污许可证编号: the holder's 18-character unified social credit code, a 3-digit sequence and one
letter (e.g. 91500000123456789X001P). Which letter goes with which kind of document is not in a text
we have (domain.md marks none): any Latin capital is accepted, and the credit code part is checked as
a credit code (uscc.py), so a typing slip in it is caught."""

from django.utils.translation import gettext_lazy as _

from qingshen.registry import uscc as uscc_codes

LENGTH = 22


class InvalidPermitNumber(ValueError):
    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


def normalise(raw: str) -> str:
    return uscc_codes.normalise(raw)


def validate(raw: str, *, uscc: str = "") -> str:
    """The normalised number, or InvalidPermitNumber; with `uscc`, its first 18 characters must be it."""
    number = normalise(raw)
    if len(number) != LENGTH:
        raise InvalidPermitNumber(
            _(
                "A discharge permit number has 22 characters (the 18-character credit code, 3 digits and "
                "a letter); this one has %(n)d."
            )
            % {"n": len(number)}
        )
    try:
        uscc_codes.validate(number[:18])
    except uscc_codes.InvalidCode as exc:
        raise InvalidPermitNumber(
            _("The first 18 characters are not a valid credit code: %(reason)s") % {"reason": exc.reason}
        ) from exc
    if not number[18:21].isdigit() or not ("A" <= number[21] <= "Z"):
        raise InvalidPermitNumber(
            _("After the credit code a permit number has 3 digits and a letter (such as 001P).")
        )
    if uscc and number[:18] != uscc_codes.normalise(uscc):
        raise InvalidPermitNumber(
            _("The permit number begins with the credit code %(code)s, not the enterprise's %(uscc)s.")
            % {"code": number[:18], "uscc": uscc}
        )
    return number


def django_validator(value: str) -> None:
    from django.core.exceptions import ValidationError

    try:
        validate(value)
    except InvalidPermitNumber as exc:
        raise ValidationError(exc.reason, code="invalid_permit_number") from exc

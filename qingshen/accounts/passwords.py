"""Password rules as Django validators; their numbers are security parameters."""

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qingshen.accounts.parameters import param


def _classes(password: str) -> int:
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class LengthAndClassesValidator:
    """At least N characters from at least K of: lower case, upper case, digits, symbols."""

    def validate(self, password, user=None):
        length, classes = param("password_min_length"), param("password_min_classes")
        if len(password) < length:
            raise ValidationError(
                _("The password needs at least %(n)s characters.") % {"n": length}, code="password_too_short"
            )
        if _classes(password) < classes:
            raise ValidationError(
                _("The password needs %(n)s of: lower-case letters, capitals, digits and symbols.")
                % {"n": classes},
                code="password_classes",
            )

    def get_help_text(self):
        return _(
            "At least %(n)s characters, with %(k)s of: lower-case letters, capitals, digits, symbols."
        ) % {
            "n": param("password_min_length"),
            "k": param("password_min_classes"),
        }


class NotUsernameValidator:
    """Neither the user name nor the user name reversed (case-insensitive)."""

    def validate(self, password, user=None):
        name = (getattr(user, "username", "") or "").lower()
        if name and password.lower() in (name, name[::-1]):
            raise ValidationError(
                _("The password may not be the user name or its reverse."), code="password_username"
            )

    def get_help_text(self):
        return _("Not the user name or the user name reversed.")


class HistoryValidator:
    """Not the current password nor one of the last N."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        keep = param("password_history")
        hashes = [user.password] if user.password else []
        # "The last N" counts the current password as one of them.
        hashes += list(user.password_history.values_list("password", flat=True)[:keep])
        if any(check_password(password, h) for h in hashes[:keep] if h):
            raise ValidationError(
                _("The password may not be one of your last %(n)s passwords.") % {"n": keep},
                code="password_reused",
            )

    def get_help_text(self):
        return _("Not one of your last %(n)s passwords.") % {"n": param("password_history")}

from django.utils.translation import gettext as _

from qingshen.core.errors import NotFound, Refused
from qingshen.core.files.uploads import DocumentRefused

__all__ = ["CaseError", "CaseNotFound", "DocumentRefused", "StaleVersion", "TransitionRefused"]


class CaseError(Refused):
    """A refused request about a case."""


class TransitionRefused(CaseError):
    pass


class StaleVersion(TransitionRefused):
    """The step was sent for an older version of the case than the one it now has (the API answers 409
    with its own code, so a script knows to read the case again)."""


class CaseNotFound(CaseError, NotFound):
    """The case does not exist or is outside the caller's scope: answered as 404."""

    def __init__(self):
        super().__init__(_("No such case."))

from django.utils.translation import gettext as _

from qingshen.core.errors import NotFound, Refused
from qingshen.core.files.uploads import DocumentRefused

__all__ = ["CaseError", "CaseNotFound", "DocumentRefused", "TransitionRefused"]


class CaseError(Refused):
    """A refused request about a case."""


class TransitionRefused(CaseError):
    pass


class CaseNotFound(CaseError, NotFound):
    """The case does not exist or is outside the caller's scope: answered as 404."""

    def __init__(self):
        super().__init__(_("No such case."))

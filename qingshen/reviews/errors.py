from django.utils.translation import gettext as _

from qingshen.cases.errors import CaseError
from qingshen.core.errors import NotFound


class ReviewRefused(CaseError):
    """A refused request on a review; the message is shown as it is."""


class ReviewNotFound(CaseError, NotFound):
    """Outside the caller's scope: answered as 404."""

    def __init__(self):
        super().__init__(_("No such review."))

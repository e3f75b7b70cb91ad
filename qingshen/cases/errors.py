from django.utils.translation import gettext as _


class CaseError(Exception):
    """A refused request: `message` is shown to the user as it is (already translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TransitionRefused(CaseError):
    pass


class CaseNotFound(CaseError):
    """The case does not exist or is outside the caller's scope: answered as 404."""

    def __init__(self):
        super().__init__(_("No such case."))


class DocumentRefused(CaseError):
    pass

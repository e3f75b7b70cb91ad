"""The refusal every write of this package raises: its message is shown to the user as it is."""

from qingshen.core.errors import Refused


class ProgrammeError(Refused):
    """`field`, when given, names the input the refusal is about, so a page shows it beside that field."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field

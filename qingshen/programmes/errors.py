"""The refusal every write of this package raises: its message is shown to the user as it is."""

from qingshen.core.errors import Refused


class ProgrammeError(Refused):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

from django.utils.html import format_html
from django.utils.translation import gettext as _


class CaseError(Exception):
    """A refused request: `message` is shown to the user as it is (already translated). `link`, when
    given, is (address, page name) of the page where the user puts it right: pages show it as a link
    (`as_html`), never the bare address inside the text."""

    def __init__(self, message: str, *, link: tuple[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.link = link

    def as_html(self, here: str = ""):
        """The message with its link, unless the user is on that page already (`here`)."""
        if self.link is None or self.link[0] == here:
            return self.message
        url, name = self.link
        return format_html('{} <a class="alert-link" href="{}">{}</a>', self.message, url, name)


class TransitionRefused(CaseError):
    pass


class CaseNotFound(CaseError):
    """The case does not exist or is outside the caller's scope: answered as 404."""

    def __init__(self):
        super().__init__(_("No such case."))


class DocumentRefused(CaseError):
    pass

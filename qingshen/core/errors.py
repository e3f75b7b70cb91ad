"""One base for every refusal a user can read: the domain raises these, the pages show them.

`message` is shown as it is (already translated). `link`, when given, is (address, page name) of the page where
the user puts it right; pages show it as a link (`as_html`), never the bare address inside the text.
"""

from django.utils.html import format_html


class Refused(Exception):
    """The request is refused and nothing changed; answered with `status` and the message."""

    status = 400

    def __init__(self, message: str = "", *, link: tuple[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.link = link

    def as_html(self, here: str = ""):
        """The message with its link, unless the user is on that page already (`here`)."""
        if self.link is None or self.link[0] == here:
            return self.message
        url, name = self.link
        return format_html('{} <a class="alert-link" href="{}">{}</a>', self.message, url, name)


class NotFound(Refused):
    """The object does not exist or lies outside the caller's scope: both are answered as 404."""

    status = 404

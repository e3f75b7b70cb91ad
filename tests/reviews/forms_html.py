"""Reading a page's forms in tests: the errors one form shows beside a field, or above its fields (the
project's markup: forms/field.html and _form_errors.html)."""

import re
from html import unescape


def form_html(response, form_id: str) -> str:
    """The markup of the form `form_id` of the page (forms do not nest); empty when the page has none."""
    page = response.content.decode()
    start = re.search(rf'<form\b[^>]*\bid="{re.escape(form_id)}"', page)
    if start is None:
        return ""
    return page[start.start() : page.index("</form>", start.start())]


def _texts(markup: str, opening: str) -> list[str]:
    return [
        unescape(re.sub(r"<[^>]+>", "", m)).strip()
        for m in re.findall(rf"<div[^>]*{opening}[^>]*>(.*?)</div>", markup, re.S)
    ]


def field_errors(response, form_id: str, field: str) -> list[str]:
    """The errors form `form_id` shows beside its field `field`."""
    return _texts(form_html(response, form_id), rf'\bdata-field="{re.escape(field)}"')


def form_errors(response, form_id: str) -> list[str]:
    """The errors form `form_id` shows above its fields (a refusal of the service among them)."""
    return _texts(form_html(response, form_id), r'\bclass="alert alert-danger[^"]*" role="alert"')

"""The hostile strings of the fuzz, the forms of a page (stdlib HTML parser), and what must never be stored."""

from html.parser import HTMLParser

from django.apps import apps
from django.db import models

from qingshen.core.encrypted import EncryptedCharField, EncryptedEmailField

HOSTILE = {
    "nul": "ab\x00cd",
    "controls": "a\x01b\x08c\x0bd\x1be\x7ff",
    "bidi": "北区\u202e司公限有\u2066化工\u2069",
    "long": "长" * 10_000,
    "markup": "<script>alert(1)</script>\"'><img src=x onerror=alert(1)> ' OR 1=1; DROP TABLE registry_enterprise; --",
}
SCRIPT = "<script>alert(1)</script>"
CONTROLS = ["\x01", "\x08", "\x0b", "\x1b", "\x7f"]
BIDI = ["\u202e", "\u2066", "\u2069"]
BIDI_SET = set(BIDI)
TEXT_TYPES = {"text", "search", "email", "url", "tel", "password", "number", "date", "datetime-local", ""}
# Names, addresses and codes: where no text-direction character may be stored (accounts/characters.py).
NAME_COLUMNS = {
    "registry.enterprise": [
        "name",
        "uscc",
        "permit_number",
        "legal_representative",
        "address",
        "contact_name",
    ],
    "registry.enterprisename": ["name"],
    "registry.agency": ["name", "uscc", "contact_name"],
    "registry.agencystaff": ["name", "role", "certificate_no"],
    "accounts.jurisdiction": ["name", "code"],
    "accounts.user": ["username", "first_name", "last_name"],
    "reviews.expert": ["name", "employer_name", "employer_uscc", "title", "certificate_no"],
    "cases.option": ["code", "name"],
    "cases.baseline": ["source"],
    "programmes.programme": ["title"],
    "programmes.listing": ["note", "other_reason"],
    "programmes.planentry": ["note"],
}


class Form:
    def __init__(self, method, action):
        self.method, self.action = method, action
        self.fields = []  # (name, kind, value): kind is "text", "hidden", "choice", "check", "file"
        self.submit = None  # (name, value) of the first named submit button

    def key(self):
        return (self.action, tuple(sorted(n for n, _k, _v in self.fields)))


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self.form, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = Form((a.get("method") or "get").lower(), a.get("action"))
            self.forms.append(self.form)
            return
        if self.form is None or (not a.get("name") and tag != "option"):
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "image", "button"):
                if self.form.submit is None:
                    self.form.submit = (a["name"], a.get("value", ""))
            elif kind == "hidden":
                self.form.fields.append((a["name"], "hidden", a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if not any(n == a["name"] for n, _k, _v in self.form.fields):
                    self.form.fields.append((a["name"], "check", a.get("value", "on")))
            elif kind == "file":
                self.form.fields.append((a["name"], "file", ""))
            elif kind in TEXT_TYPES:
                self.form.fields.append((a["name"], "text", a.get("value", "")))
        elif tag == "textarea":
            self.form.fields.append((a["name"], "text", ""))
        elif tag == "select":
            self.select = [a["name"], None]
        elif tag == "option" and self.select is not None:
            if self.select[1] is None and a.get("value"):
                self.select[1] = a["value"]
        elif tag == "button" and (a.get("type") or "submit") == "submit" and self.form.submit is None:
            self.form.submit = (a["name"], a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None:
            if self.form is not None:
                self.form.fields.append((self.select[0], "choice", self.select[1] or ""))
            self.select = None


def forms_of(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def stored_problems() -> list[str]:
    """Rows holding a control character anywhere, or a text-direction character in a name column.

    Read in Python: SQLite's LIKE stops at a NUL, so a query could not look for one."""
    found = []
    refused = set(CONTROLS) | {"\x00"}
    for model in apps.get_models():
        label = model._meta.label_lower
        names = set(NAME_COLUMNS.get(label, []))
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not isinstance(f, EncryptedCharField | EncryptedEmailField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list("pk", *fields):
            for name, value in zip(fields, row[1:], strict=True):
                if value and (
                    refused.intersection(value) or (name in names and BIDI_SET.intersection(value))
                ):
                    found.append(f"{label} {row[0]}.{name}")
    from qingshen.cases.models import Disclosure

    for pk, content in Disclosure.objects.values_list("pk", "content"):
        if any((refused | BIDI_SET).intersection(str(v)) for v in content.values()):
            found.append(f"cases.disclosure {pk}.content")
    return found

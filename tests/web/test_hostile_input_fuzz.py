"""A bounded fuzz of every page's query string and forms with hostile strings.

For each URL pattern of the resolver (so new pages are covered), the first two roles of world A that
can read the page (ids from A, rich_world) are found; the page's query string is sent each hostile
string (NUL, other controls, text-direction overrides, 10,000 characters, HTML and SQL), and each of
its forms is submitted with every text field set to each of them (plus one submission with every
field, hidden and choice ones too, set to the markup). Nothing may be a 500, no page may echo the
markup unescaped, and no row may hold a control character, or a text-direction one in a name,
address or code (hostile_forms.NAME_COLUMNS). Text parameters of the URL itself get the same strings,
and the admin's search and add form of every model it registers get them as the sysadmin.
"""

import copy
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.web import rich_world
from tests.web.hostile_forms import HOSTILE, SCRIPT, forms_of, stored_problems

PATTERNS = rich_world.url_patterns()
READERS = [*rich_world.ROLES, "anonymous"]
SKIPPED_ACTIONS = ("/logout/", "/i18n/")  # would end the shared session or switch its language
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# NUL stands for every control character in an address: the middleware refuses them all alike
# (tests/accounts/test_input_characters.py tries each).
QUERY_STRINGS = ["nul", "bidi", "long", "markup"]
# A query string carries the long text cut to 2,000 characters (18 KB encoded, per parameter): more than
# a web server takes in an address (nginx: 8 KB), ten times what a search box sends.
QUERY_LONG = 2_000
# Pages made for one role, asked first; any other page tries the roles in rich_world.ROLES order, at
# most MAX_TRIES of them (a page none of them reads has nothing to fuzz but its address).
FIRST_READER = [
    ("security/", "security"),
    ("log/", "auditor"),
    ("expert/", "expert"),
    ("portal/", "enterprise"),
    ("imports/", "district"),
    ("programmes/<int:pk>/confirm/", "province"),
    ("login", "anonymous"),
    ("invitation/", "anonymous"),
    ("public/", "anonymous"),
]
MAX_TRIES = 6


def _url(pattern, world):
    values = {k: rich_world.object_for(world, pattern.route, k).pk for k in pattern.ids}
    for k, kind in pattern.params.items():
        if kind == "str":
            values[k] = _text_value(pattern, k, world)
    return pattern.url(values)


def _text_value(pattern, kwarg, world):
    if kwarg in rich_world.TEXT_VALUES:
        return rich_world.TEXT_VALUES[kwarg]
    if kwarg == "token":
        return world.invitation.token
    if kwarg == "key":
        return "stages"
    return "x"


def _data(form, text, *, everything=False):
    data = {}
    for name, kind, value in form.fields:
        if kind == "file":
            data[name] = SimpleUploadedFile("a\u202eb.pdf", PDF)
        elif kind == "text" or everything:
            data[name] = text
        else:
            data[name] = value
    if form.submit:
        data.setdefault(form.submit[0], form.submit[1])
    return data


class Run:
    def __init__(self, clients):
        self.clients, self.problems, self.seen_forms = clients, [], set()

    def send(self, role, method, url, data=None, what=""):
        try:
            response = getattr(self.clients[role], method)(url, data or {})
        except Exception as exc:  # the 500 a user would see
            self.problems.append(
                f"{method.upper()} {url} {what} as {role}: {type(exc).__name__}: {exc}"[:400]
            )
            return None
        if response.status_code >= 500:
            self.problems.append(f"{method.upper()} {url} {what} as {role}: {response.status_code}")
        elif not response.streaming and SCRIPT in response.content.decode(errors="replace"):
            self.problems.append(f"{method.upper()} {url} {what} as {role}: markup echoed unescaped")
        return response


def _readers(run, pattern, url):
    """The roles that get the page as HTML: two for a page of one object (its actions differ by role),
    one otherwise; a file download, one; none for a POST-only view (405 to GET: its forms are on other
    pages). The role a page is made for is asked first."""
    wanted = 2 if pattern.ids else 1
    first = next((role for prefix, role in FIRST_READER if pattern.route.startswith(prefix)), None)
    order = [first, *(r for r in READERS if r != first)] if first else READERS
    readers = []
    for role in order[:MAX_TRIES]:
        response = run.send(role, "get", url, what="(find a reader)")
        if response is None or response.status_code == 405:
            break
        if response.status_code == 200:
            if "html" not in response.get("Content-Type", ""):
                return [(role, "")]
            readers.append((role, response.content.decode()))
            if len(readers) == wanted:
                break
    return readers


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_hostile_strings_are_refused_cleanly(worlds, db, pattern):
    a, _b, clients = worlds
    cookies = {role: copy.deepcopy(c.cookies) for role, c in clients.items()}
    run = Run(clients)
    try:
        url = _url(pattern, a)
        for kwarg, kind in pattern.params.items():  # hostile text parameters in the address itself
            if kind == "str" and kwarg not in rich_world.TEXT_VALUES:
                values = {k: rich_world.object_for(a, pattern.route, k).pk for k in pattern.ids}
                # The address's other text parameters (a router's pk and a child's) keep their value.
                values |= {k: _text_value(pattern, k, a) for k, t in pattern.params.items() if t == "str"}
                template = pattern.url({**values, kwarg: "PLACEHOLDER"})
                for text in HOSTILE.values():
                    run.send(
                        "city",
                        "get",
                        template.replace("PLACEHOLDER", quote(text[:200], safe="")),
                        what=f"<{kwarg}>",
                    )
        readers = _readers(run, pattern, url)
        for n, (role, html) in enumerate(readers):
            forms = forms_of(html)
            if n == 0:  # the query string once, as the first reader
                keys = {"q", "page"} | {
                    k for form in forms if form.method == "get" for k, _kind, _v in form.fields
                }
                for name in QUERY_STRINGS:
                    text = HOSTILE[name][:QUERY_LONG]
                    run.send(role, "get", url, {k: text for k in keys}, what=f"?{name}")
            for form in forms:
                action = form.action or url
                if (
                    form.method != "post"
                    or action.startswith(SKIPPED_ACTIONS)
                    or form.key() in run.seen_forms
                ):
                    continue
                run.seen_forms.add(form.key())
                for name, text in HOSTILE.items():
                    run.send(role, "post", action, _data(form, text), what=f"form {name}")
                run.send(
                    role, "post", action, _data(form, HOSTILE["markup"], everything=True), what="form all"
                )
        run.problems += [f"stored: {p}" for p in stored_problems()]
    finally:
        for role, c in clients.items():
            c.cookies = cookies[role]
    assert run.problems == []


def _admin_models():
    from django.contrib import admin

    return sorted(f"{m._meta.app_label}_{m._meta.model_name}" for m in admin.site._registry)


@pytest.mark.parametrize("model", _admin_models())
def test_the_admin_refuses_hostile_strings_cleanly(worlds, db, model):
    """The sysadmin's reference data: each model's search and its add form."""
    from django.urls import reverse

    _a, _b, clients = worlds
    run = Run(clients)
    changelist, add = reverse(f"admin:{model}_changelist"), reverse(f"admin:{model}_add")
    for name in QUERY_STRINGS:
        run.send("sysadmin", "get", changelist, {"q": HOSTILE[name][:QUERY_LONG]}, what=f"?{name}")
    page = run.send("sysadmin", "get", add, what="(add form)")
    if page is not None and page.status_code == 200:
        for form in (f for f in forms_of(page.content.decode()) if f.method == "post"):
            for name, text in HOSTILE.items():
                run.send("sysadmin", "post", add, _data(form, text), what=f"form {name}")
    run.problems += [f"stored: {p}" for p in stored_problems()]
    assert run.problems == []

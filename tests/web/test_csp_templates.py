"""No template served to a browser holds what the content security policy blocks (settings.QINGSHEN_CSP:
script-src and style-src 'self', no 'unsafe-inline'): style attributes, <style> and inline <script>
blocks, on* event handler attributes, javascript: links."""

import re
from pathlib import Path

import qingshen

TEMPLATES = Path(qingshen.__file__).parent / "templates"
# Rendered into PDF by WeasyPrint, never sent to a browser: the policy does not apply to them.
PDF_SOURCES = {
    "reviews/opinion.html",
    "reports/letter.html",
    "reports/circular.html",
    "oversight/spotcheck_circular.html",
}
BLOCKED = {
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.I),
    "<style> block": re.compile(r"<style[\s>]", re.I),
    "event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "inline <script>": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I),
    "javascript: link": re.compile(r"javascript:", re.I),
}


def _served_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name not in PDF_SOURCES:
            yield name, path.read_text(encoding="utf-8")


def test_no_served_template_holds_what_the_policy_blocks():
    found = [
        f"{name}:{text[: m.start()].count(chr(10)) + 1}: {what}"
        for name, text in _served_templates()
        for what, pattern in BLOCKED.items()
        for m in pattern.finditer(text)
    ]
    assert found == []


def test_the_scan_sees_the_templates_and_its_exemptions_exist():
    names = {name for name, _ in _served_templates()}
    assert {"base.html", "portal/invitation_accept.html", "programmes/import_batch.html"} <= names
    assert all((TEMPLATES / name).exists() for name in PDF_SOURCES)
    assert BLOCKED["style attribute"].search('<div class="x" style="width: 1%">')
    assert BLOCKED["event handler attribute"].search('<button onclick="go()">')
    assert not BLOCKED["event handler attribute"].search('<input name="x" data-confirm="y">')
    assert not BLOCKED["inline <script>"].search('<script src="/static/x.js" defer></script>')

"""Static files: the pages' own and, from npm, only the files the pages load (no CDN, no whole dist)."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

import qingshen
from qingshen.core.npm_files import NpmFilesFinder

TEMPLATES = Path(qingshen.__file__).parent / "templates"
STATIC_TAG = re.compile(r"""{%\s*static\s+["']([^"']+)["']\s*%}""")


def _collected() -> dict[str, int]:
    names = {}
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            name = "/".join(p for p in (getattr(storage, "prefix", "") or "", path) if p)
            names[name] = storage.size(path)
    return names


def test_every_static_file_a_template_names_is_found():
    named = {m for t in TEMPLATES.rglob("*.html") for m in STATIC_TAG.findall(t.read_text(encoding="utf-8"))}
    assert "vendor/echarts/echarts.min.js" in named
    assert [n for n in sorted(named) if finders.find(n) is None] == []


def test_only_the_named_npm_files_are_collected_with_their_licences():
    vendor = {name: size for name, size in _collected().items() if name.startswith("vendor/")}
    expected = {f"{folder}/{Path(file).name}" for folder, file in settings.QINGSHEN_NPM_FILES}
    assert set(vendor) == expected
    assert {"vendor/echarts/LICENSE", "vendor/bootstrap/LICENSE", "vendor/swagger-ui/LICENSE"} <= set(vendor)
    # The whole ECharts dist with its source maps was 51 MB; what the pages load is about 1 MB.
    docs = {name: size for name, size in vendor.items() if name.startswith("vendor/swagger-ui/")}
    assert sum(size for name, size in vendor.items() if name not in docs) < 3 * 1024 * 1024
    # The API's documentation page alone loads Swagger UI: its bundle, not the 12 MB package.
    assert sum(docs.values()) < 2.5 * 1024 * 1024


def test_npm_files_finder_refuses_paths_outside_its_list():
    assert finders.find("vendor/echarts/echarts.js.map") is None
    assert finders.find("vendor/echarts/../../package.json") is None
    assert finders.find("vendor/bootstrap/css/bootstrap.min.css").endswith("bootstrap.min.css")


def test_a_missing_npm_file_is_a_system_check_error(settings):
    settings.QINGSHEN_NPM_FILES = [("vendor/echarts", "echarts/dist/no-such-file.js")]
    errors = NpmFilesFinder().check()
    assert [e.id for e in errors] == ["qingshen.E010"]
    assert "npm ci" in errors[0].msg


def test_collectstatic_with_the_manifest_storage_resolves_every_reference(settings, tmp_path):
    """The production storage hashes names and rewrites references (CSS url(), source maps): a file
    a shipped file names but that is not shipped would fail here, as it would at `make run`."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", "--verbosity", "0")
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/echarts/echarts.min.js" in manifest
    assert not (tmp_path / "vendor" / "echarts" / "echarts.esm.js").exists()

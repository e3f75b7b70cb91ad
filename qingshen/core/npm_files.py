"""A static files finder that serves named files out of node_modules, not whole package folders.

The front-end libraries come from npm (package.json) and are served locally, never from a CDN. Their
packages hold far more than the pages load (ECharts' dist alone is 51 MB of source maps and other
builds, which collectstatic would copy and compress at every start), so the settings name each file
the pages need, with its licence, in QINGSHEN_NPM_FILES: (static folder, file inside node_modules).
"""

import os
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage


def _entries():
    root = Path(settings.QINGSHEN_NPM_ROOT)
    for folder, package_file in settings.QINGSHEN_NPM_FILES:
        source = root / package_file
        yield f"{folder}/{source.name}", folder, source


class NpmFilesFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        self.files = {name: (folder, source) for name, folder, source in _entries()}
        super().__init__(*args, **kwargs)

    def check(self, **kwargs):
        return [
            Error(
                f"{source} is missing: run `npm ci` (package.json) before serving the pages.",
                id="qingshen.E010",
            )
            for folder, source in self.files.values()
            if not source.is_file()
        ]

    def find(self, path, find_all=False, **kwargs):
        entry = self.files.get(path.replace(os.sep, "/"))
        if entry is None or not entry[1].is_file():
            return []  # as Django's own finders answer "not here"
        return [str(entry[1])] if find_all else str(entry[1])

    def list(self, ignore_patterns):
        for folder, source in self.files.values():
            if source.is_file():
                storage = FileSystemStorage(location=source.parent)
                storage.prefix = folder
                yield source.name, storage

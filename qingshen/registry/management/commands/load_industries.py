from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qingshen.registry.industries import SHIPPED_FILE, IndustryFileError, industries_load
from qingshen.registry.models import INDUSTRY_EDITION_DEFAULT


class Command(BaseCommand):
    help = (
        "Load GB/T 4754 industries (sections, divisions, groups, classes) from a CSV with the columns "
        "code, level, parent, name_zh, name_en. All rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(SHIPPED_FILE))
        parser.add_argument("--edition", default=INDUSTRY_EDITION_DEFAULT)

    def handle(self, *args, file, edition, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            count = industries_load(path, edition=edition)
        except (IndustryFileError, UnicodeDecodeError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{count} rows loaded into {edition}."))

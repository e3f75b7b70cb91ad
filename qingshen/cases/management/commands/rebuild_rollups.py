"""Rewrite the option and benefit totals of every programme and jurisdiction (after a bulk load or a
restore; the options service keeps them current otherwise)."""

from django.core.management.base import BaseCommand

from qingshen.cases.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Rewrite the option and benefit totals per programme and jurisdiction from the options."

    def handle(self, *args, **options):
        self.stdout.write(f"cells rewritten: {rollups_rebuild()}")

"""Rewrite the counts the dashboard and the summary table read (cases and their concluded reviews per
programme and jurisdiction, case warnings, accountability records), after a bulk load or a restore;
every write keeps them current otherwise."""

from django.core.management.base import BaseCommand

from qingshen.cases.counts import case_counts_rebuild
from qingshen.oversight.counts import accountability_counts_rebuild, warning_counts_rebuild


class Command(BaseCommand):
    help = "Rewrite the case, review, warning and accountability counts from the records."

    def handle(self, *args, **options):
        # Each case cell rewritten rewrites its reviews' counts too (cases.signals.case_cell_counted).
        cells = case_counts_rebuild()
        warnings = warning_counts_rebuild()
        records = accountability_counts_rebuild()
        self.stdout.write(f"case cells: {cells}, warning rows: {warnings}, accountability cells: {records}")

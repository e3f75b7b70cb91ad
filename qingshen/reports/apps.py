from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "qingshen.reports"
    verbose_name = _("Summary tables and dashboard")

    def ready(self):
        from qingshen.reports.labels import LABELS
        from qingshen.trail.labels import labels_register

        labels_register(LABELS)
        from qingshen.reports import receivers  # noqa: F401  (letters on publication)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "qingshen.reports"
    verbose_name = _("Summary tables and dashboard")

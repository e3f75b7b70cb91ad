from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    """Time-limit rules with their sources, the work calendar and the procedure (履职行权规程)."""

    name = "qingshen.procedures"
    verbose_name = _("Rules and procedure")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "qingshen.programmes"
    verbose_name = _("Annual programmes")

    def ready(self):
        from qingshen.programmes.labels import LABELS
        from qingshen.trail.labels import labels_register

        labels_register(LABELS)

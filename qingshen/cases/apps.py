from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "qingshen.cases"
    verbose_name = _("Audit cases")

    def ready(self):
        from qingshen.cases.labels import LABELS, transition_label
        from qingshen.trail.labels import labels_register

        labels_register(LABELS, prefix="case.transition.", resolver=transition_label)
        from qingshen.cases.counts import connect

        connect()

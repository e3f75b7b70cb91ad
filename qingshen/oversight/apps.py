from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "qingshen.oversight"
    verbose_name = _("Rules and oversight")

    def ready(self):
        from qingshen.oversight.labels import LABELS
        from qingshen.trail.labels import labels_register

        labels_register(LABELS)
        from qingshen.oversight import counts, receivers  # noqa: F401  (accountability for refused complete applications)

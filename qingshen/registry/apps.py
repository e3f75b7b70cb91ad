from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "qingshen.registry"
    verbose_name = _("Registry")

    def ready(self):
        from qingshen.registry.labels import LABELS
        from qingshen.trail.labels import labels_register

        labels_register(LABELS)
        from qingshen.registry import signals  # noqa: F401  (pinyin search keys follow the enterprise's name)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrailConfig(AppConfig):
    name = "qingshen.trail"
    verbose_name = _("Operation log")

    def ready(self):
        from qingshen.trail import signals  # noqa: F401  (login/logout/failed-login events)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data and walk-throughs: the `demo` command. Production code never imports this package."""

    name = "qingshen.demo"
    verbose_name = _("Demo")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The bureau staff's pages: views, forms, template tags and the admin over the domain packages."""

    name = "qingshen.web"
    verbose_name = _("Staff pages")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "qingshen.reviews"
    verbose_name = _("Evaluation and acceptance")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "qingshen.reviews"
    verbose_name = _("Evaluation and acceptance")

    def ready(self):
        from qingshen.reviews.labels import LABELS
        from qingshen.trail.labels import labels_register

        labels_register(LABELS)
        from qingshen.reviews import counts, receivers  # noqa: F401  (a member's application ends with its group's pass)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "qingshen.jobs"
    verbose_name = _("Background jobs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from qingshen.jobs.labels import LABELS
        from qingshen.trail.labels import labels_register

        labels_register(LABELS)
        from qingshen.jobs import leases, redis_queue  # noqa: F401  (connect the task_started / task_finished receivers)

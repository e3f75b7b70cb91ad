from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    """Runs over every package: the periodic sweep, backups and restore, file reconciliation, the log's
    checkpoints and pruning. The top of the domain floors, so it may call all of them."""

    name = "qingshen.maintenance"
    verbose_name = _("Maintenance")

    def ready(self):
        from qingshen.maintenance import receivers  # noqa: F401  (connects the signal receivers)
        from qingshen.maintenance.labels import LABELS
        from qingshen.trail.labels import labels_register

        labels_register(LABELS)

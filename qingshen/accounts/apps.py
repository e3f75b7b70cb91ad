from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "qingshen.accounts"
    verbose_name = _("Accounts and jurisdictions")

    def ready(self):
        from qingshen.accounts.labels import LABELS
        from qingshen.trail.labels import labels_register

        labels_register(LABELS)
        from qingshen.accounts import checks, signals  # noqa: F401  (deploy checks; session records, sessions ended on deactivation)

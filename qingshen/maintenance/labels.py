"""Labels of the actions this package writes to the operation log (registered with trail when the app is ready)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "system.backup": _("Backup written"),
    "system.restore": _("Backup restored"),
    "files.reconcile": _("Files without a record removed"),
}

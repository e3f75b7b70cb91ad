"""Labels of the actions this package writes to the operation log (registered with trail when the app is ready)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "summary.file": _("Summary table filed"),
    "summary.enter": _("Summary table of a year before the system entered"),
    "summary.attachment.download": _("Summary filing attachment downloaded"),
}

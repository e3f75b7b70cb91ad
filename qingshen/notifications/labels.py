"""Labels of the actions this package writes to the operation log (registered with trail when the app is ready)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "notification.send": _("Notification sent"),
    "notification.release": _("Held notification released"),
    "notification.withdraw": _("Held notification withdrawn"),
    "notification.delivery.held": _("Message held for review"),
    "notification.delivery.queued": _("Message queued"),
    "notification.delivery.retry": _("Message delivery to be retried"),
    "notification.delivery.sent": _("Message delivered"),
    "notification.delivery.failed": _("Message delivery failed"),
    "notification.delivery.withdrawn": _("Message withdrawn"),
}

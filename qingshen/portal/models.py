from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    """A one-time first-login link for an enterprise account (issue 5 §1).

    The city shows it to the enterprise (or it is mailed); the link lets the user set a password and
    is then spent. Regenerating it cancels the previous link. The token is kept so that the bureau can
    copy the link again while it is valid; it is useless once spent, cancelled or expired.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    email = models.EmailField(_("sent to"), blank=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} · {timezone.localtime(self.expires_at):%Y-%m-%d}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.cancelled_at is None and self.expires_at > timezone.now()

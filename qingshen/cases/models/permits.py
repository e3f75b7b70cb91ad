"""What the audit found of the enterprise's discharge permit (Chongqing notice (五): "将排污许可证申领、登记与
实施情况纳入审核内容"): whether it holds, applied for or registered its permit, and how it carries it out."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CasePermitRecord(models.Model):
    class Application(models.TextChoices):
        HELD = "held", _("permit held (已申领)")
        REGISTERED = "registered", _("registered (已登记)")
        APPLYING = "applying", _("application under way (申领中)")
        NONE = "none", _("neither applied for nor registered (未申领或登记)")

    class Implementation(models.TextChoices):
        COMPLIES = "complies", _("discharges as permitted (按证排污)")
        DEVIATIONS = "deviations", _("deviations found (存在问题)")
        NOT_ASSESSED = "not_assessed", _("not yet assessed")

    case = models.OneToOneField(
        "cases.AuditCase", verbose_name=_("case"), on_delete=models.PROTECT, related_name="permit_record"
    )
    application = models.CharField(
        _("application or registration"), max_length=20, choices=Application.choices
    )
    implementation = models.CharField(
        _("implementation"),
        max_length=20,
        choices=Implementation.choices,
        default=Implementation.NOT_ASSESSED,
    )
    # The permit number the audit looked at, as recorded then (the registry's permit may change later).
    permit_number = models.CharField(_("permit number"), max_length=22, blank=True)
    note = models.TextField(_("findings"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("permit findings of the audit")
        verbose_name_plural = _("permit findings of the audit")

    def __str__(self):
        return self.get_application_display()

"""The annual disclosure of 部令第24号 Art. 14, and an enterprise's choice of being named in the
technology library."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingshen.cases.models.case import HardDeleteRefused


class AnnualDisclosure(models.Model):
    """One year of a case's annual environmental disclosure (企业环境信息依法披露管理办法 第十四条): why the
    enterprise was listed, how the audit went, the evaluation and acceptance results.

    Prefilled from the case (cases/annual_disclosures.py); the enterprise edits the text and submits it,
    and from then on it is public and no longer editable. `facts` is the case as it stood when the text
    was last saved (grounds, stages and their dates, level), kept so the public page shows what was
    disclosed, not what the case says later.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted and published")

    case = models.ForeignKey(
        "cases.AuditCase", verbose_name=_("case"), on_delete=models.PROTECT, related_name="annual_disclosures"
    )
    year = models.PositiveSmallIntegerField(_("year disclosed"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    content = models.JSONField(_("content"), default=dict)
    facts = models.JSONField(_("facts from the case"), default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("annual disclosure")
        verbose_name_plural = _("annual disclosures")
        ordering = ["-year", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "year"], name="annual_disclosure_once_a_year")]
        indexes = [models.Index(fields=["status", "year"])]

    def __str__(self):
        return f"{self.case} · {self.year}"

    def delete(self, *args, **kwargs):
        raise HardDeleteRefused("Annual disclosures are case data and are never deleted.")


class LibraryNaming(models.Model):
    """Whether the technology library (清洁生产技术库) shows the enterprise's name beside its options.

    No row means anonymous (某企业): an enterprise's options, investments and verified benefits are its
    business data, so it is named only when it has chosen to be."""

    enterprise = models.OneToOneField(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    named = models.BooleanField(_("named in the technology library"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("technology library naming")
        verbose_name_plural = _("technology library namings")

    def __str__(self):
        return f"{self.enterprise_id} · {self.named}"

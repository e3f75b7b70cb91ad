"""The Art. 11 disclosure (企业信息公开) of a case."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingshen.cases.models.case import HardDeleteRefused


class Disclosure(models.Model):
    """The enterprise information published under Art. 11 of the 审核办法 (企业信息公开).

    Filled as a draft by the enterprise or its agency; the `disclose` transition submits it, and from
    then on it is public (public site) and no longer editable.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted and published")

    case = models.OneToOneField(
        "cases.AuditCase", verbose_name=_("case"), on_delete=models.PROTECT, related_name="disclosure"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The grounds the form was filled for, and the items keyed as in cases/disclosure_fields.py.
    grounds = models.JSONField(_("grounds"), default=list)
    content = models.JSONField(_("content"), default=dict)
    published_where = models.CharField(
        _("where it was published (media or website address)"), max_length=300, blank=True
    )
    proof = models.ForeignKey(
        "cases.Document",
        verbose_name=_("proof of publication"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
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
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-submitted_on", "pk"]

    def __str__(self):
        return f"{self.case} · {self.get_status_display()}"

    def delete(self, *args, **kwargs):
        raise HardDeleteRefused("Disclosures are case data and are never deleted.")

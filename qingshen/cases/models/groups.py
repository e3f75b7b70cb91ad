"""Group audits (行业/园区/集群整体审核): a park, industry or cluster audited as one project, led by its
management committee or association, whose members each count as having done an audit when it passes
(环办科财函〔2023〕79号, domain.md §9). The group's own audit is an ordinary case (kind `group`) of its
lead, so applications, draws, panels and conclusions work on it unchanged."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class GroupAudit(models.Model):
    class LeadKind(models.TextChoices):
        PARK = "park", _("Park management committee (园区管委会)")
        INDUSTRY = "industry", _("Industry association (行业协会)")
        CLUSTER = "cluster", _("Cluster lead (集群牵头单位)")

    # The group's own round: the case of the lead (a registry entry), kind `group`.
    case = models.OneToOneField(
        "cases.AuditCase", verbose_name=_("group case"), on_delete=models.PROTECT, related_name="group_audit"
    )
    name = models.CharField(_("group name"), max_length=200)
    lead_kind = models.CharField(_("kind of lead"), max_length=20, choices=LeadKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("group audit")
        verbose_name_plural = _("group audits")
        ordering = ["-case__programme__year", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("group-detail", args=[self.pk])


class GroupMember(models.Model):
    """A member enterprise of a group, with its own open case when it has one (closed as counted by the
    group when the group passes). Removal is a mark, never a delete."""

    group = models.ForeignKey(
        GroupAudit, verbose_name=_("group"), on_delete=models.PROTECT, related_name="members"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="group_memberships",
    )
    case = models.ForeignKey(
        "cases.AuditCase",
        verbose_name=_("member's own case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_memberships",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    counted_on = models.DateField(_("counted as audited on"), null=True, blank=True)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["group", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "enterprise"],
                condition=models.Q(removed_at__isnull=True),
                name="group_member_once",
            )
        ]

    def __str__(self):
        return f"{self.group} · {self.enterprise}"

    def delete(self, *args, **kwargs):
        raise RuntimeError("Group members are never deleted; mark them removed.")

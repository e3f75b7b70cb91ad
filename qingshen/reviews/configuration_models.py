"""What the city configures for reviews (domain.md §1): the review kinds, the application checklists and the
versioned rubrics. Imported by qingshen.reviews.models, where Django finds them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewKind(models.TextChoices):
    EVALUATION = "evaluation", _("Evaluation (审核评估)")
    ACCEPTANCE = "acceptance", _("Acceptance (审核验收)")


class ChecklistItem(models.Model):
    """One material an application must contain (domain.md §1); the city edits the list."""

    kind = models.CharField(_("review kind"), max_length=20, choices=ReviewKind.choices)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("material"), max_length=200)
    # A cases.Document.Kind value (checked by the services, so a new kind there needs no migration here).
    document_kind = models.CharField(_("document type"), max_length=30, default="other")
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    source = models.TextField(_("source"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["kind", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="checklist_item_code_unique")]

    def __str__(self):
        return self.name


class Rubric(models.Model):
    """A versioned scoring template (评分表). A rubric in use is never edited: the city adds a version."""

    kind = models.CharField(_("review kind"), max_length=20, choices=ReviewKind.choices)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    pass_mark = models.DecimalField(_("pass mark"), max_digits=6, decimal_places=2)
    pass_mark_source = models.TextField(_("source of the pass mark"))
    bonus_max = models.DecimalField(_("bonus points at most"), max_digits=6, decimal_places=2, default=0)
    is_active = models.BooleanField(_("in use for new panels"), default=True)
    # Acceptance judges the results against the targets (指南 2018; Beijing's veto "targets wrong or with
    # major omissions", domain.md §6): by default a target not shown to be met fails the acceptance.
    veto_unmet_targets = models.BooleanField(_("veto: a cleaner production target not met"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="rubric_version_unique")]

    def __str__(self):
        return f"{self.name} v{self.version}"


class RubricItem(models.Model):
    class Kind(models.TextChoices):
        SCORED = "scored", _("Scored item")
        VETO = "veto", _("Veto item (否决项)")
        BONUS = "bonus", _("Bonus item (加分项)")

    rubric = models.ForeignKey(
        Rubric, verbose_name=_("rubric"), on_delete=models.PROTECT, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    category = models.CharField(_("category"), max_length=60, blank=True)
    text = models.CharField(_("item"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SCORED)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2, default=0)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)

    class Meta:
        verbose_name = _("rubric item")
        verbose_name_plural = _("rubric items")
        ordering = ["rubric", "order"]
        constraints = [models.UniqueConstraint(fields=["rubric", "order"], name="rubric_item_order_unique")]

    def __str__(self):
        return self.text

"""Rules as data: time limits with their sources, the working-day calendar, the procedure (履职行权规程).

Moved here from oversight with their tables (`db_table`), so every package below oversight may read them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingshen.core.names import LocalName


class Rule(models.Model):
    """A named time limit with its legal source; the code reads these rows, never a literal.

    Defaults come from domain.md and are seeded by a migration; the city edits them.
    """

    class Unit(models.TextChoices):
        DAYS = "days", _("calendar days")
        WORKING_DAYS = "working_days", _("working days")
        MONTHS = "months", _("months")
        YEARS = "years", _("years")
        # Not time limits: the size of a panel, a number of sheets, a score (no deadline is computed from them).
        COUNT = "count", _("persons or pieces")
        POINTS = "points", _("points")

    class Basis(models.TextChoices):
        NATIONAL = "N", _("national rule")
        LOCAL = "L", _("local rule or practice")
        UNSEEN = "U", _("believed, not seen in a text")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    amount = models.PositiveIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    roll_forward = models.BooleanField(
        _("move to the next working day"),
        default=True,
        help_text=_("When the last day falls on a rest day, the period ends on the next working day."),
    )
    source = models.TextField(_("source"), help_text=_("The rule or notice this value comes from."))
    basis = models.CharField(_("basis"), max_length=1, choices=Basis.choices, default=Basis.UNSEEN)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "oversight_rule"
        verbose_name = _("time-limit rule")
        verbose_name_plural = _("time-limit rules")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.amount} {self.get_unit_display()})"


class CalendarDay(models.Model):
    """A holiday or an adjusted working day (调休) added by the city for a year the library lacks."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=60, blank=True, help_text=_("e.g. 春节"))
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("e.g. 国办发明电〔2026〕x号")
    )

    class Meta:
        db_table = "oversight_calendarday"
        verbose_name = _("holiday or adjusted working day")
        verbose_name_plural = _("holidays and adjusted working days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}"


class Procedure(LocalName, models.Model):
    """履职行权规程: the power item as the bureau publishes it (domain.md §2)."""

    class PowerType(models.TextChoices):
        LICENSING = "licensing", _("行政许可")
        PENALTY = "penalty", _("行政处罚")
        COERCION = "coercion", _("行政强制")
        LEVY = "levy", _("行政征收")
        PAYMENT = "payment", _("行政给付")
        ADJUDICATION = "adjudication", _("行政裁决")
        CONFIRMATION = "confirmation", _("行政确认")
        REWARD = "reward", _("行政奖励")
        INSPECTION = "inspection", _("行政检查")
        FILING = "filing", _("行政备案")
        OTHER = "other", _("其他类")

    number = models.CharField(_("number (编号)"), max_length=60, blank=True)
    power_type = models.CharField(_("power type"), max_length=20, choices=PowerType.choices)
    acting_body = models.CharField(_("acting body"), max_length=200)
    name = models.CharField(_("item name"), max_length=200)
    name_en = models.CharField(_("English item name"), max_length=200, blank=True)
    scope = models.TextField(_("jurisdiction scope"), blank=True)
    legal_basis = models.TextField(_("legal basis: laws and rules, to the article, quoted"))
    # 履职依据's second part: the bureau's 三定规定 (第X条第X款) and the section it gives the work to.
    mandate = models.TextField(_("legal basis: the bureau's mandate (三定规定)"), blank=True)
    accountability = models.TextField(_("accountability cases"))
    supervision = models.TextField(_("supervision channels"))
    supervision_phone = models.CharField(_("business supervision telephone"), max_length=40, blank=True)
    discipline_phone = models.CharField(_("discipline inspection group telephone"), max_length=40, blank=True)
    remedies = models.TextField(_("legal remedies"))
    remarks = models.TextField(_("remarks"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    effective_on = models.DateField(_("in effect since"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "oversight_procedure"
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    def __str__(self):
        return self.name


class ProcedureStep(LocalName, models.Model):
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("step"), max_length=100)
    name_en = models.CharField(_("English step name"), max_length=150, blank=True)
    description = models.TextField(_("description"))
    time_limit = models.CharField(_("time limit"), max_length=200, blank=True)
    rule = models.ForeignKey(
        Rule,
        verbose_name=_("time-limit rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="steps",
        help_text=_("The rule whose value drives this step's deadlines."),
    )
    responsible_section = models.CharField(_("responsible section"), max_length=100)

    class Meta:
        db_table = "oversight_procedurestep"
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")
        ordering = ["procedure", "order"]
        constraints = [models.UniqueConstraint(fields=["procedure", "order"], name="procedure_step_order")]

    def __str__(self):
        return f"{self.order}. {self.name}"


class ProcedureVersion(models.Model):
    """One edition of the procedure as the city published it: the whole record and its steps, and the
    day it takes effect. The procedure row holds the edition in effect; a later one waits for its day."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    effective_on = models.DateField(_("takes effect on"))
    content = models.JSONField(_("content"))
    note = models.CharField(_("what changed"), max_length=500)
    applied_at = models.DateTimeField(_("put in effect"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("edited by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("edited"), auto_now_add=True)

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure", "-number"]
        constraints = [models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_once")]

    def __str__(self):
        return f"{self.procedure} v{self.number} ({self.effective_on})"

from django.db import models
from django.utils.translation import gettext_lazy as _

from qingshen.core.encrypted import EncryptedCharField, EncryptedEmailField
from qingshen.core.names import LocalName
from qingshen.core.text import NAME_VALIDATORS
from qingshen.registry.bureau_models import BureauSettings, ReviewOrganiser  # noqa: F401
from qingshen.registry.uscc import django_validator as uscc_validator

INDUSTRY_EDITION_DEFAULT = "GB/T 4754-2017"


class Industry(LocalName, models.Model):
    """A node of 国民经济行业分类 (GB/T 4754), loaded as versioned data (`edition`)."""

    class Level(models.TextChoices):
        SECTION = "section", _("Section (门类)")
        DIVISION = "division", _("Division (大类)")
        GROUP = "group", _("Group (中类)")
        CLASS = "class", _("Class (小类)")

    edition = models.CharField(_("edition"), max_length=30, default=INDUSTRY_EDITION_DEFAULT)
    code = models.CharField(_("code"), max_length=5)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name_zh = models.CharField(_("Chinese name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    is_key_industry = models.BooleanField(
        _("key industry"),
        default=False,
        help_text=_("One of the key industries of 环办科财〔2020〕27号 or added by the city."),
    )

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["edition", "code"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="industry_code_unique")]

    def __str__(self):
        return f"{self.code} {self.name}"

    name_zh_field = "name_zh"

    @property
    def name(self) -> str:
        return self.local_name

    @property
    def section_code(self) -> str:
        node = self
        while node.parent_id is not None:
            node = node.parent
        return node.code


class Enterprise(models.Model):
    """One legal entity. Renames keep history in EnterpriseName."""

    name = models.CharField(_("name"), max_length=200, db_index=True, validators=NAME_VALIDATORS)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[*NAME_VALIDATORS, uscc_validator],
    )
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    is_key_industry = models.BooleanField(_("key industry (重点行业)"), default=False)
    permit_number = models.CharField(
        _("pollutant discharge permit number"), max_length=40, blank=True, validators=NAME_VALIDATORS
    )
    legal_representative = models.CharField(
        _("legal representative"), max_length=50, blank=True, validators=NAME_VALIDATORS
    )
    address = models.CharField(_("address"), max_length=200, blank=True, validators=NAME_VALIDATORS)
    contact_name = models.CharField(
        _("contact person"), max_length=50, blank=True, validators=NAME_VALIDATORS
    )
    # Personal data: stored encrypted.
    contact_phone = EncryptedCharField(
        _("contact phone"), max_length=40, blank=True, validators=NAME_VALIDATORS
    )
    contact_email = EncryptedEmailField(_("contact e-mail"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]

    def __str__(self):
        return self.name


class EnterpriseName(models.Model):
    """A former name of an enterprise, with the period it was used (企业更名记录)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="former_names"
    )
    name = models.CharField(_("former name"), max_length=200, validators=NAME_VALIDATORS)
    used_until = models.DateTimeField(_("used until"))
    changed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("former name")
        verbose_name_plural = _("former names")
        ordering = ["-used_until"]

    def __str__(self):
        return self.name


class Agency(models.Model):
    """清洁生产审核咨询服务机构: an independent legal person (办法 Art. 16). Details in the reviews work."""

    name = models.CharField(_("name"), max_length=200, validators=NAME_VALIDATORS)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[*NAME_VALIDATORS, uscc_validator],
    )
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction",
        verbose_name=_("registered in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    contact_name = models.CharField(
        _("contact person"), max_length=50, blank=True, validators=NAME_VALIDATORS
    )
    contact_phone = EncryptedCharField(
        _("contact phone"), max_length=40, blank=True, validators=NAME_VALIDATORS
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("consulting agency")
        verbose_name_plural = _("consulting agencies")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AgencyStaff(models.Model):
    """A member of an agency's staff with their training certificate (办法 Art. 16)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="staff"
    )
    name = models.CharField(_("name"), max_length=50, validators=NAME_VALIDATORS)
    role = models.CharField(
        _("role"),
        max_length=60,
        blank=True,
        help_text=_("e.g. 审核师, 技术负责人"),
        validators=NAME_VALIDATORS,
    )
    certificate_no = models.CharField(
        _("training certificate"), max_length=60, blank=True, validators=NAME_VALIDATORS
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency staff member")
        verbose_name_plural = _("agency staff")
        ordering = ["agency", "name"]

    def __str__(self):
        return self.name


class SearchKey(models.Model):
    """An enterprise's pinyin keys for searching by pinyin: the initials and the full pinyin of its
    name, kept beside the name (registry/search_keys.py) and maintained on every save of the
    enterprise. A search matches a key that contains the query, anywhere in the name."""

    enterprise = models.OneToOneField(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="search_key",
    )
    initials = models.CharField(_("pinyin initials"), max_length=200)
    full = models.CharField(_("full pinyin"), max_length=600, default="")

    class Meta:
        db_table = "public_searchkey"
        verbose_name = _("search key")
        verbose_name_plural = _("search keys")

    def __str__(self):
        return self.initials


from qingshen.registry.permit_models import Permit, PermittedPollutant  # noqa: E402, F401

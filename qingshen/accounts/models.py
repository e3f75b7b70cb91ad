from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qingshen.accounts.roles import JURISDICTION_ROLES, Authority, Role
from qingshen.core.encrypted import EncryptedCharField
from qingshen.core.names import LocalName


class Jurisdiction(LocalName, models.Model):
    """A node of the tree province → city → district (行政区划/管辖单位).

    Functional zones (两江新区, 高新区, 经开区) are districts without a GB/T 2260 code.
    `path` is a materialised path ("/1/7/12/") so a subtree is one indexed prefix query.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        DISTRICT = "district", _("District / county / zone")

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(
        _("GB/T 2260 code"),
        max_length=6,
        blank=True,
        help_text=_("Six-digit administrative division code; empty for functional zones."),
    )
    is_functional_zone = models.BooleanField(_("functional zone"), default=False)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    path = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="jurisdiction_code_unique"
            ),
            models.UniqueConstraint(fields=["parent", "name"], name="jurisdiction_name_unique_in_parent"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from django.db import transaction

        with transaction.atomic():  # a node and everything filed under it move together or not at all
            if self.pk is None:
                super().save(*args, **kwargs)
                kwargs = {k: v for k, v in kwargs.items() if k != "force_insert"}
            parent_path = self.parent.path if self.parent_id else "/"
            old_path, self.path = self.path, f"{parent_path}{self.pk}/"
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                self._move_subtree(old_path)

    def _move_subtree(self, old_path: str) -> None:
        """A node moved: its descendants and everything filed under them by path follow (every
        JurisdictionPathField: cases, warnings, penalties, notices), so every scope sees them in their new place."""
        from django.db.models import Value
        from django.db.models.functions import Concat, Substr

        from qingshen.core.paths import path_fields

        tail = len(old_path) + 1  # Substr counts from 1
        Jurisdiction.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
            path=Concat(Value(self.path), Substr("path", tail))
        )
        for model, name in path_fields():
            model.objects.filter(**{f"{name}__startswith": old_path}).update(
                **{name: Concat(Value(self.path), Substr(name, tail))}
            )

    def clean(self):
        if self.code and not (len(self.code) == 6 and self.code.isdigit()):
            raise ValidationError({"code": _("A GB/T 2260 code has six digits.")})
        expected_parent = {self.Level.CITY: self.Level.PROVINCE, self.Level.DISTRICT: self.Level.CITY}
        if self.level == self.Level.PROVINCE and self.parent_id:
            raise ValidationError({"parent": _("A province has no parent.")})
        if self.level in expected_parent and (
            self.parent is None or self.parent.level != expected_parent[self.level]
        ):
            raise ValidationError({"parent": _("The parent must be one level up.")})

    def is_within(self, other: "Jurisdiction") -> bool:
        return self.path.startswith(other.path)

    @property
    def city(self) -> "Jurisdiction | None":
        node = self
        while node is not None and node.level != self.Level.CITY:
            node = node.parent
        return node


class User(AbstractUser):
    # Blank until the security administrator grants one (三员分立: the sysadmin creates accounts only).
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    # The department of a bureau account (roles.Authority); ignored for the other roles.
    authority = models.CharField(
        _("authority"),
        max_length=20,
        choices=Authority.choices,
        default=Authority.ENVIRONMENT,
        help_text=_(
            "The energy-saving authority (发改委/经信委) leads the cases listed for energy use only."
        ),
    )
    section = models.CharField(_("section"), max_length=100, blank=True, help_text=_("e.g. 自然科"))
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True)  # personal data: encrypted
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True, editable=False)
    must_change_password = models.BooleanField(
        _("must change password"), default=False, help_text=_("Set for an initial or reset password.")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self):
        super().clean()
        if self.role in JURISDICTION_ROLES and self.jurisdiction_id is None:
            raise ValidationError({"jurisdiction": _("This role needs a jurisdiction.")})
        if self.role == Role.ENTERPRISE and self.enterprise_id is None:
            raise ValidationError({"enterprise": _("An enterprise account needs its enterprise.")})
        if self.role == Role.AGENCY and self.agency_id is None:
            raise ValidationError({"agency": _("An agency account needs its agency.")})

    def set_password(self, raw_password):
        from django.utils import timezone

        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.values else self.role


class SecurityParameter(models.Model):
    """The current value of one security parameter (accounts/parameters.py holds keys and defaults)."""

    key = models.CharField(_("parameter"), max_length=50, unique=True)
    value = models.CharField(_("value"), max_length=300)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        User, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("security parameter")
        verbose_name_plural = _("security parameters")
        ordering = ["key"]

    def __str__(self):
        return f"{self.key}={self.value}"


class PasswordHistory(models.Model):
    """Earlier password hashes, so the last N are not reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user_id} {timezone.localtime(self.created_at):%Y-%m-%d}"


class LoginThrottle(models.Model):
    """Failed logins and the lock they caused: for one user name from one address (the 等保 lockout,
    `PAIR`), or from one address whatever the names (`ADDRESS`, the guesser's source paused).

    A user name is never locked for every address, so a guesser elsewhere cannot shut its owner out.
    Kept per typed user name whether or not the account exists, so a lock reveals nothing.
    """

    class Kind(models.TextChoices):
        PAIR = "pair", _("user name from an address")
        ADDRESS = "address", _("address")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The typed user name, case-folded (blank on ADDRESS rows).
    username = models.CharField(max_length=150, blank=True)
    # The client address; on ADDRESS rows an IPv6 address stands for its /64 network.
    address = models.CharField(max_length=64, blank=True)
    failures = models.PositiveIntegerField(default=0)
    # ADDRESS rows count the failures of one window of `lockout_minutes` from here.
    window_started_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "username", "address"], name="login_throttle_key")
        ]

    def __str__(self):
        return f"{self.kind}:{self.username}@{self.address}"


class UserSession(models.Model):
    """One login session of a user, so they can see and end it (the session store has no user index)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"), auto_now_add=True)
    client_ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    method = models.CharField(_("method"), max_length=20, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user_id} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """A one-time first-login link for an enterprise account.

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
        db_table = "portal_invitation"
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} · {timezone.localtime(self.expires_at):%Y-%m-%d}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.cancelled_at is None and self.expires_at > timezone.now()


class ApiToken(models.Model):
    """A personal key for the REST API: only its SHA-256 is kept, the plain key is shown once at creation."""

    class Scope(models.TextChoices):
        READ = "read", _("read only")
        WRITE = "write", _("read and write")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key starts with"), max_length=12, editable=False)
    scope = models.CharField(_("access"), max_length=10, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

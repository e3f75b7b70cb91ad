"""Writes on the registry: enterprises (renames keep history) and agencies."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.accounts.invitations import (
    enterprise_account_ensure,
    enterprise_primary_account,
    invitation_issue,
)
from qingshen.accounts.models import Invitation
from qingshen.core.errors import Refused
from qingshen.registry import scoping
from qingshen.registry import uscc as uscc_codes
from qingshen.registry.models import Enterprise, EnterpriseName
from qingshen.trail.services import event_record

EDITABLE_FIELDS = (
    "name",
    "industry",
    "is_key_industry",
    "permit_number",
    "legal_representative",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
)


class RegistryError(Refused):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _snapshot(enterprise: Enterprise) -> dict:
    data = {f: getattr(enterprise, f) for f in EDITABLE_FIELDS}
    data["industry"] = enterprise.industry.code if enterprise.industry_id else None
    data["jurisdiction"] = enterprise.jurisdiction_id
    return data


@transaction.atomic
def enterprise_create(
    *,
    actor,
    name: str,
    uscc: str,
    jurisdiction,
    industry=None,
    is_key_industry=None,
    check_scope: bool = True,
    **details,
) -> Enterprise:
    """Register an enterprise; the credit code is normalised and its check character verified."""
    if check_scope and not scoping.may_create_enterprise(actor, jurisdiction):
        raise RegistryError(_("You may not register enterprises in %(j)s.") % {"j": jurisdiction})
    try:
        code = uscc_codes.validate(uscc)
    except uscc_codes.InvalidCode as exc:
        raise RegistryError(exc.reason) from exc
    existing = Enterprise.objects.filter(uscc=code).first()
    if existing is not None:
        raise RegistryError(
            _("The credit code %(code)s is already registered as “%(name)s”.")
            % {"code": code, "name": existing.name}
        )
    if is_key_industry is None:
        is_key_industry = bool(
            industry
            and (industry.is_key_industry or (industry.parent_id and industry.parent.is_key_industry))
        )
    enterprise = Enterprise(
        name=name.strip(),
        uscc=code,
        jurisdiction=jurisdiction,
        industry=industry,
        is_key_industry=is_key_industry,
        **details,
    )
    try:
        enterprise.full_clean()
    except ValidationError as exc:
        raise RegistryError("; ".join(m for msgs in exc.message_dict.values() for m in msgs)) from exc
    enterprise.save()
    event_record(action="enterprise.create", actor=actor, obj=enterprise, after=_snapshot(enterprise))
    return enterprise


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, **changes) -> Enterprise:
    """Change registry fields; a new name keeps the old one in the enterprise's history."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if not scoping.may_edit_enterprise(actor, enterprise):
        raise RegistryError(_("You may not edit this enterprise."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise RegistryError(
            _("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    before = _snapshot(enterprise)
    old_name = enterprise.name
    for field, value in changes.items():
        setattr(enterprise, field, value.strip() if isinstance(value, str) else value)
    try:
        enterprise.full_clean()
    except ValidationError as exc:
        raise RegistryError("; ".join(m for msgs in exc.message_dict.values() for m in msgs)) from exc
    after = _snapshot(enterprise)
    if after == before:
        return enterprise
    if enterprise.name != old_name:
        EnterpriseName.objects.create(
            enterprise=enterprise, name=old_name, used_until=timezone.now(), changed_by=actor
        )
    enterprise.save()
    changed = {k for k in after if after[k] != before[k]}
    event_record(
        action="enterprise.update",
        actor=actor,
        obj=enterprise,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return enterprise


def invitation_regenerate(*, enterprise, actor, base_url: str = ""):
    """The bureau issues an enterprise's first-login link anew (the old one lost or expired); creates the account if missing."""
    if not scoping.may_manage_invitations(actor, enterprise):
        raise RegistryError(_("No such enterprise."))
    with transaction.atomic():
        user = enterprise_primary_account(enterprise)
        if user is None:
            user = enterprise_account_ensure(enterprise=enterprise, actor=actor)
            return Invitation.objects.filter(user=user).latest("created_at")
        return invitation_issue(user=user, actor=actor, email=enterprise.contact_email, base_url=base_url)

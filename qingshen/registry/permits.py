"""Writes on discharge permits: one permit saved with its pollutants (the bureau's page) and the rows
of a checked import file written at once (programmes.permits). Reads are in permit_selectors."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.registry import permit_numbers, scoping
from qingshen.registry.models import Enterprise
from qingshen.registry.permit_models import Permit, PermittedPollutant
from qingshen.registry.permit_selectors import permit_current
from qingshen.registry.services import RegistryError
from qingshen.trail.services import event_record


def _snapshot(permit: Permit, pollutants) -> dict:
    return {
        "number": permit.number,
        "management_class": permit.management_class,
        "issuing_authority": permit.issuing_authority,
        "valid_from": str(permit.valid_from),
        "valid_to": str(permit.valid_to),
        "pollutants": sorted(
            [p["pollutant"], p.get("outlet", ""), str(Decimal(p["limit_value"]).normalize()), p["unit"]]
            for p in pollutants
        ),
    }


def _stored_pollutants(permit: Permit) -> list[dict]:
    return [
        {"pollutant": p.pollutant, "outlet": p.outlet, "limit_value": p.limit_value, "unit": p.unit}
        for p in permit.pollutants.all()
    ]


def _write(*, permit: Permit, pollutants: list[dict], actor, before: dict | None) -> bool:
    """Save the permit and replace its pollutants when anything differs; one log event. False: unchanged."""
    after = _snapshot(permit, pollutants)
    if before == after:
        return False
    try:
        permit.full_clean(exclude=["enterprise"])
        rows = [PermittedPollutant(permit=permit, **p) for p in pollutants]
        for row in rows:
            row.full_clean(exclude=["permit"])
    except ValidationError as exc:
        raise RegistryError("; ".join(m for msgs in exc.message_dict.values() for m in msgs)) from exc
    if len({(r.outlet, r.pollutant, r.unit) for r in rows}) != len(rows):
        raise RegistryError(_("A pollutant is listed twice for the same outlet and unit."))
    permit.save()
    permit.pollutants.all().delete()  # registry data, not case data: the log keeps the former list
    PermittedPollutant.objects.bulk_create(rows)
    event_record(
        action="permit.create" if before is None else "permit.update",
        actor=actor,
        obj=permit,
        before=before,
        after={"enterprise": permit.enterprise_id, **after},
    )
    return True


@transaction.atomic
def permit_save(
    *,
    actor,
    enterprise: Enterprise,
    number: str,
    management_class: str,
    issuing_authority: str,
    valid_from: datetime.date,
    valid_to: datetime.date,
    pollutants: list[dict],
    permit: Permit | None = None,
) -> Permit:
    """Record a permit of the enterprise, or change `permit`; its pollutants are replaced by `pollutants`."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if not scoping.may_edit_enterprise(actor, enterprise):
        raise RegistryError(_("You may not edit this enterprise."))
    try:
        number = permit_numbers.validate(number, uscc=enterprise.uscc)
    except permit_numbers.InvalidPermitNumber as exc:
        raise RegistryError(exc.reason) from exc
    if valid_to < valid_from:
        raise RegistryError(_("The permit cannot end before it begins."))
    if management_class not in Permit.ManagementClass.values:
        raise RegistryError(_("Not a management class."))
    if management_class != Permit.ManagementClass.REGISTRATION and not issuing_authority.strip():
        raise RegistryError(_("A permit needs its issuing authority."))
    clash = Permit.objects.filter(number=number).exclude(pk=getattr(permit, "pk", None)).first()
    if clash is not None:
        raise RegistryError(_("The permit number %(n)s is already recorded.") % {"n": number})
    before = None
    if permit is not None:
        permit = Permit.objects.select_for_update().get(pk=permit.pk, enterprise=enterprise)
        before = _snapshot(permit, _stored_pollutants(permit))
    else:
        permit = Permit(enterprise=enterprise)
    permit.number, permit.management_class = number, management_class
    permit.issuing_authority, permit.valid_from, permit.valid_to = (
        issuing_authority.strip(),
        valid_from,
        valid_to,
    )
    _write(permit=permit, pollutants=pollutants, actor=actor, before=before)
    enterprise_permit_number_sync(enterprise=enterprise, actor=actor)
    return permit


def enterprise_permit_number_sync(*, enterprise: Enterprise, actor) -> bool:
    """Keep the enterprise's permit number that of its permit in force today (inside the permit write's
    transaction, the enterprise row locked). Without one in force the number stays: it names the last
    permit, and its expiry is the sweep's warning. Logged when it changes; False when unchanged."""
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    current = permit_current(locked, timezone.localdate())
    if current is None or current.number == locked.permit_number:
        return False
    before = locked.permit_number
    locked.permit_number = current.number
    locked.save(update_fields=["permit_number"])
    enterprise.permit_number = current.number
    event_record(
        action="enterprise.permit_number",
        actor=actor,
        obj=locked,
        before={"permit_number": before},
        after={"permit_number": current.number, "permit": current.pk},
    )
    return True


def permits_import_write(*, actor, permits: list[dict]) -> tuple[int, int]:
    """Write checked permits (programmes.permits.commit, inside its transaction): each {"enterprise_id",
    "number", …, "pollutants": [...]} created or brought in line. Returns (created, changed); a permit
    already as in the file is left untouched, so importing the same export again changes nothing."""
    existing = {
        p.number: p
        for p in Permit.objects.select_for_update()
        .filter(number__in=[p["number"] for p in permits])
        .prefetch_related("pollutants")
    }
    created = changed = 0
    for data in permits:
        permit = existing.get(data["number"])
        before = None if permit is None else _snapshot(permit, _stored_pollutants(permit))
        if permit is None:
            permit = Permit(enterprise_id=data["enterprise_id"])
        elif permit.enterprise_id != data["enterprise_id"]:
            raise RegistryError(_("The permit %(n)s belongs to another enterprise.") % {"n": data["number"]})
        permit.number, permit.management_class = data["number"], data["management_class"]
        permit.issuing_authority = data["issuing_authority"]
        permit.valid_from = datetime.date.fromisoformat(data["valid_from"])
        permit.valid_to = datetime.date.fromisoformat(data["valid_to"])
        if _write(permit=permit, pollutants=data["pollutants"], actor=actor, before=before):
            created, changed = created + (before is None), changed + (before is not None)
    for enterprise in Enterprise.objects.filter(pk__in={p["enterprise_id"] for p in permits}).order_by("pk"):
        enterprise_permit_number_sync(enterprise=enterprise, actor=actor)
    return created, changed

"""Writes on spot checks: draw a verifiable sample, record findings and the result, render the circular."""

import secrets

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qingshen.core.errors import NotFound, Refused
from qingshen.oversight import scoping
from qingshen.oversight.spotcheck_draw import ALGORITHM, record_digest, sample
from qingshen.oversight.spotcheck_models import SpotCheck, SpotCheckItem
from qingshen.trail.services import event_record


class SpotCheckRefused(Refused):
    """The message is for the user."""


def _candidates(city, year) -> dict[str, list[int]]:
    from qingshen.cases.models import AuditCase

    strata: dict[str, list[int]] = {}
    rows = (
        AuditCase.objects.filter(jurisdiction_path__startswith=city.path, accepted_on__year=year)
        .order_by("jurisdiction_id", "pk")
        .values_list("jurisdiction_id", "pk")
    )
    for district, pk in rows:
        strata.setdefault(str(district), []).append(pk)
    return strata


@transaction.atomic
def spotcheck_draw(*, city, year: int, mode: str, amount: int, actor) -> SpotCheck:
    """Draw last year's (or `year`'s) accepted cases of the city, stratified by district."""
    if not scoping.may_run_spotchecks(actor) or actor.jurisdiction_id != city.pk:
        raise NotFound()
    if mode not in SpotCheck.Mode.values or amount < 1 or (mode == SpotCheck.Mode.PERCENT and amount > 100):
        raise SpotCheckRefused(_("Give a number of cases, or a percentage between 1 and 100."))
    if SpotCheck.objects.filter(city=city, year=year).exists():
        raise SpotCheckRefused(_("The spot check of this year has already been drawn."))
    strata = _candidates(city, year)
    if not strata:
        raise SpotCheckRefused(_("No case of the city was accepted in that year."))
    record = {
        "algorithm": ALGORITHM,
        "seed": secrets.token_hex(16),
        "city": city.pk,
        "year": year,
        "mode": mode,
        "amount": amount,
        "strata": strata,
    }
    spot = SpotCheck.objects.create(
        city=city,
        year=year,
        mode=mode,
        amount=amount,
        record=record,
        record_sha256=record_digest(record),
        drawn_by=actor,
    )
    SpotCheckItem.objects.bulk_create(SpotCheckItem(spot_check=spot, case_id=pk) for pk in sample(record))
    event_record(
        action="oversight.spotcheck.draw",
        actor=actor,
        obj=spot,
        after={
            "sha256": spot.record_sha256,
            "sampled": spot.items.count(),
            "candidates": sum(map(len, strata.values())),
        },
    )
    return spot


def spotcheck_verify(spot: SpotCheck) -> dict:
    """Recompute the digest and the sample from the stored record and compare with what was stored."""
    digest_ok = record_digest(spot.record) == spot.record_sha256
    stored = sorted(spot.items.values_list("case_id", flat=True))
    return {"digest_ok": digest_ok, "sample_ok": digest_ok and sorted(sample(spot.record)) == stored}


@transaction.atomic
def spotcheck_finding(*, item_id: int, verdict: str, finding: str, actor) -> SpotCheckItem:
    item = SpotCheckItem.objects.select_for_update().select_related("spot_check").get(pk=item_id)
    if not scoping.may_run_spotcheck(actor, item.spot_check):
        raise NotFound()
    if item.spot_check.concluded_at is not None:
        raise SpotCheckRefused(_("The spot check is concluded."))
    if verdict not in SpotCheckItem.Verdict.values or (verdict == "deficient" and not finding.strip()):
        raise SpotCheckRefused(_("A deficient case needs a finding."))
    item.verdict, item.finding = verdict, finding.strip()
    item.save(update_fields=["verdict", "finding"])
    event_record(
        action="oversight.spotcheck.finding",
        actor=actor,
        obj=item.case,
        after={"verdict": verdict, "finding": item.finding},
    )
    return item


@transaction.atomic
def spotcheck_conclude(*, spot_id: int, result: str, actor) -> SpotCheck:
    spot = SpotCheck.objects.select_for_update().get(pk=spot_id)
    if not scoping.may_run_spotcheck(actor, spot):
        raise NotFound()
    if spot.concluded_at is not None:
        raise SpotCheckRefused(_("The spot check is concluded."))
    if spot.items.filter(verdict=SpotCheckItem.Verdict.PENDING).exists():
        raise SpotCheckRefused(_("Record a verdict for every sampled case first."))
    if not result.strip():
        raise SpotCheckRefused(_("Write the result."))
    spot.result, spot.concluded_at = result.strip(), timezone.now()
    spot.save(update_fields=["result", "concluded_at"])
    event_record(action="oversight.spotcheck.conclude", actor=actor, obj=spot, after={"result": spot.result})
    return spot


def circular_pdf(spot: SpotCheck) -> bytes:
    """The circular of results (通报), rendered like the review opinions (WeasyPrint, the CJK font)."""
    from weasyprint import HTML

    items = spot.items.select_related("case__enterprise", "case__jurisdiction").order_by(
        "case__jurisdiction__name", "case_id"
    )
    context = {"spot": spot, "items": items, "font": settings.QINGSHEN_OPINION_FONT}
    with translation.override("zh-hans"):  # official documents are in Chinese
        html = render_to_string("oversight/spotcheck_circular.html", context)
    return HTML(string=html).write_pdf()

"""Taking a case through an application, a panel and a conclusion with the real services.

Used by the demo and the tests (demo_data.walk_case) so that every state is reached the way a city
reaches it: materials, completeness check, draw, experts' answers, sheets, the chair's confirmation.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Q

from qingshen.accounts.invitations import invitation_issue
from qingshen.accounts.models import User
from qingshen.accounts.roles import Role
from qingshen.cases import scoping as cases_scoping
from qingshen.cases.models import Document
from qingshen.registry.models import Industry
from qingshen.reviews import rules, selectors
from qingshen.reviews.models import Expert, PanelSeat, Review, RubricItem
from qingshen.reviews.organisers import organising_unit
from qingshen.reviews.services.applications import item_candidates, item_preselected, review_apply
from qingshen.reviews.services.conclusion import review_confirm, score_submit
from qingshen.reviews.services.cosign import cosign_pending, review_cosign
from qingshen.reviews.services.draw import panel_draw
from qingshen.reviews.services.seats import seat_respond

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def expert_pool_ensure(*, industry: Industry, count: int) -> list[Expert]:
    """At least `count` active experts of the industry's division, each with a login (idempotent)."""
    division = (
        Industry.objects.filter(
            Q(code=industry.code[:2]) | Q(pk=industry.pk), level__in=["division", industry.level]
        )
        .order_by("code")
        .first()
    )
    code = division.code if division else industry.code
    pool = list(Expert.objects.filter(is_active=True, specialties__code=code).distinct())
    n = len(pool)
    while len(pool) < count:
        n += 1
        username = f"expert-{code}-{n}"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"role": Role.EXPERT, "first_name": f"{SURNAMES[n % len(SURNAMES)]}工{code}{n}"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            # Like any new expert: a first-login link, which the city copies from the expert's page.
            invitation_issue(user=user)
        expert, _ = Expert.objects.get_or_create(
            user=user,
            defaults={
                "name": user.first_name,
                "title": "高级工程师",
                "employer_name": "重庆市环境科学研究院",
                "fields": ["process", "audit"],
                "certificate_no": f"CP-{code}-{n:04d}",
            },
        )
        expert.specialties.add(division or industry)
        pool.append(expert)
    return pool


def _materials(kind: str, skip: int = 0) -> dict:
    items = selectors.checklist_for(kind)
    return {
        i.code: ContentFile(f"%PDF-1.4\n% {i.name}\n".encode(), name=f"{i.name[:40]}.pdf")
        for n, i in enumerate(items)
        if n >= skip
    }


def application_submit(*, case, kind: str, actor, day: datetime.date, complete: bool = True) -> Review:
    """Upload the checklist's materials, except what the system issued (the technical review opinion):
    that is handed in as the case holds it."""
    materials, existing = _materials(kind, 0 if complete else 1), {}
    items = selectors.checklist_for(kind)
    for item in items:
        held = item_candidates(case, item)
        if item.code in materials and item.document_kind in Document.ISSUED_KINDS and held:
            existing[item.code] = (item_preselected(case, item, items, held) or held[0]).pk
            del materials[item.code]
    return review_apply(
        case_id=case.pk, actor=actor, kind=kind, materials=materials, existing=existing, effective_on=day
    )


def open_review(case, kind: str) -> Review:
    return (
        case.reviews.filter(kind=kind).exclude(status__in=["refused", "concluded", "cancelled"]).latest("pk")
    )


def consulted_staff(review: Review):
    """The consulted department's account at the bureau organising the review (made if there is none)."""
    case = review.case
    unit = organising_unit(case)
    role = Role.CITY if unit.level == unit.Level.CITY else Role.DISTRICT
    authority = cases_scoping.case_consulted_authority(case)
    found = User.objects.filter(role=role, jurisdiction=unit, authority=authority, is_active=True).first()
    return found or User.objects.create(
        username=f"consulted-{authority}-{unit.pk}", role=role, jurisdiction=unit, authority=authority
    )


def panel_conclude(
    *,
    review: Review,
    passed: bool,
    city_user,
    day: datetime.date,
    level: str = "",
    render_opinions: bool = False,
) -> Review:
    """Draw a panel, have every expert accept and score, and the chair confirm."""
    industry = review.case.enterprise.industry
    if industry is not None:
        expert_pool_ensure(industry=industry, count=rules.panel_size() + 1)
    panel = panel_draw(review_id=review.pk, actor=city_user, today=day)
    for seat in panel.seats.select_related("expert__user"):
        seat_respond(seat_id=seat.pk, actor=seat.expert.user, accept=True, no_conflict=True)
    share = Decimal("0.9") if passed else Decimal("0.5")
    review.refresh_from_db()
    items = list(review.rubric.items.all())
    for seat in panel.seats.select_related("expert__user"):
        points = {
            i.pk: str((i.max_points * share).quantize(Decimal("0.5")))
            for i in items
            if i.kind != RubricItem.Kind.VETO
        }
        score_submit(seat_id=seat.pk, actor=seat.expert.user, points=points)
    chair = PanelSeat.objects.select_related("expert__user").get(panel=panel, is_chair=True)
    if cosign_pending(review):
        review_cosign(review_id=review.pk, actor=consulted_staff(review), comment="同意。")
    return review_confirm(
        review_id=review.pk,
        actor=chair.expert.user,
        level=level,
        requirements="" if passed else "按专家意见修改审核报告后重新申请。",
        effective_on=day,
        render_opinions=render_opinions,
    )

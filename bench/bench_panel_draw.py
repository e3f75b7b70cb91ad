"""The conflict check, the draw, verify and the whole panel (accept, sheets, confirm) with a pool of N experts."""

import os
import time

EXPERTS = int(os.environ.get("BENCH_EXPERTS", "3000"))


def _setup(n):
    from django.utils import timezone

    from qingshen.accounts.models import Jurisdiction, User
    from qingshen.cases.models import Delegation
    from qingshen.demo import walk
    from qingshen.demo.world import make_uscc
    from qingshen.programmes import listings as programme_listings
    from qingshen.programmes import lists as programme_lists
    from qingshen.programmes import services as programme_services
    from qingshen.registry.models import Agency, Enterprise, Industry
    from qingshen.reviews.models import Expert, ExpertConflict

    province = Jurisdiction.objects.create(name="省", level="province")
    city = Jurisdiction.objects.create(name="市", level="city", parent=province)
    district = Jurisdiction.objects.create(name="区", level="district", parent=city, code="500112")
    city_user = User.objects.create(username="city", role="city", jurisdiction=city)
    divisions = list(Industry.objects.filter(level="division", code__gte="13", code__lte="43"))
    chem = next(d for d in divisions if d.code == "26")
    ent = Enterprise.objects.create(
        name="化工企业", uscc=make_uscc("500112", 1), jurisdiction=district, industry=chem
    )
    ent_user = User.objects.create(username="ent", role="enterprise", enterprise=ent)
    agency = Agency.objects.create(name="咨询", uscc=make_uscc("500112", 2))
    experts = Expert.objects.bulk_create(
        Expert(
            name=f"专家{i}",
            employer_name=f"单位{i % 200}",
            employer_uscc=agency.uscc if i % 97 == 0 else make_uscc("500112", 1000 + i % 200),
            certificate_no=f"CP-{i}",
        )
        for i in range(n)
    )
    through = Expert.specialties.through
    through.objects.bulk_create(
        through(expert_id=e.pk, industry_id=divisions[i % len(divisions)].pk) for i, e in enumerate(experts)
    )
    ExpertConflict.objects.bulk_create(
        ExpertConflict(expert=e, enterprise=ent, kind="declared", reason="x", created_by=city_user)
        for e in experts[::131]
    )
    programme = programme_services.programme_create(city=city, year=2026, actor=city_user)
    programme_listings.listing_add(
        programme=programme, enterprise=ent, grounds=["emissions"], actor=city_user
    )
    # The province confirms the list before the city publishes it.
    province_user = User.objects.create(username="prov", role="province", jurisdiction=province)
    programme_lists.list_transition(name="submit", programme=programme, actor=city_user)
    programme_lists.list_transition(name="confirm", programme=programme, actor=province_user)
    programme_lists.list_transition(
        name="publish",
        programme=programme,
        actor=city_user,
        published_on=timezone.localdate() - timezone.timedelta(days=30),
    )
    case = programme.cases.get()
    Delegation.objects.create(case=case, agency=agency, starts_on=case.published_on, created_by=ent_user)
    from qingshen.demo.case_walk import PATHS, walk_case

    walk_case(
        case, PATHS["evaluating"], city_user=city_user, enterprise_user=ent_user, start=case.published_on
    )
    # Seats for the pool's chair accounts: users for the chemical experts only.
    for e in Expert.objects.filter(specialties=chem, user__isnull=True):
        e.user = User.objects.create(username=f"x{e.pk}", role="expert")
        e.save(update_fields=["user"])
    return city_user, walk.open_review(case, "evaluation")


def run(report):
    from qingshen.reviews import selectors
    from qingshen.reviews.models import RubricItem
    from qingshen.reviews.services.conclusion import review_confirm, score_submit
    from qingshen.reviews.services.draw import panel_draw, panel_verify
    from qingshen.reviews.services.seats import seat_respond

    t = time.perf_counter()
    city_user, review = _setup(EXPERTS)
    report(
        f"build a pool of {EXPERTS} experts over the manufacturing divisions", time.perf_counter() - t, "s"
    )
    t = time.perf_counter()
    check = selectors.conflict_check(review=review)
    report("conflict check", (time.perf_counter() - t) * 1000, "ms")
    report(
        "  matching / eligible / excluded",
        len(check.matching),
        f"/ {len(check.eligible)} / {len(check.exclusions)}",
    )
    t = time.perf_counter()
    panel = panel_draw(review_id=review.pk, actor=city_user)
    report("draw (check + record + seats + event)", (time.perf_counter() - t) * 1000, "ms")
    t = time.perf_counter()
    for _ in range(20):
        assert panel_verify(panel=panel)["matches"]
    report("verify (recompute from the record)", (time.perf_counter() - t) * 1000 / 20, "ms")
    seats = list(panel.seats.select_related("expert__user"))
    t = time.perf_counter()
    for s in seats:
        seat_respond(seat_id=s.pk, actor=s.expert.user, accept=True, no_conflict=True)
    review.refresh_from_db()
    points = {i.pk: str(i.max_points) for i in review.rubric.items.filter(kind=RubricItem.Kind.SCORED)}
    for s in seats:
        score_submit(seat_id=s.pk, actor=s.expert.user, points=points)
    report("5 acceptances + 5 sheets (incl. the result)", (time.perf_counter() - t) * 1000, "ms")
    t = time.perf_counter()
    review_confirm(review_id=review.pk, actor=seats[0].expert.user, render_opinions=False)
    report("chair's confirmation (transition, deadlines)", (time.perf_counter() - t) * 1000, "ms")
    from qingshen.reviews.opinions import opinion_docx, opinion_pdf

    review.refresh_from_db()
    t = time.perf_counter()
    pdf = opinion_pdf(review)
    report("opinion PDF render (first, loads the CJK font)", (time.perf_counter() - t) * 1000, "ms")
    t = time.perf_counter()
    pdf = opinion_pdf(review)
    report("opinion PDF render (warm)", (time.perf_counter() - t) * 1000, "ms")
    report("opinion PDF size", len(pdf) / 1024, "KiB")
    t = time.perf_counter()
    opinion_docx(review)
    report("opinion DOCX render", (time.perf_counter() - t) * 1000, "ms")

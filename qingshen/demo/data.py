"""`manage.py demo`: a Chongqing-like city with its districts and functional zones, ~60 enterprises
across the key industries, a published programme with cases in every state, a draft programme to walk
through, and one user per role. Idempotent: a second run changes nothing and prints the logins.

All case movement goes through the real services (case_transition), dated with `effective_on`."""

import datetime

from django.db import transaction

from qingshen.accounts.roles import Authority, Role
from qingshen.cases.models import Delegation
from qingshen.demo.case_walk import OPTION_STATES, PATHS, demo_options, demo_panel, walk_case
from qingshen.demo.disclosures import demo_annual_disclosures
from qingshen.demo.permits import demo_permits
from qingshen.demo.world import (
    P_2025,
    demo_enterprise_account,
    demo_enterprises,
    demo_grounds,
    demo_jurisdictions,
    demo_user,
    make_uscc,
)
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from qingshen.programmes.models import Programme
from qingshen.registry.bureaus import bureau_settings_set, is_province_level
from qingshen.registry.models import Agency

STATE_PLAN = [
    "listed",
    "disclosed",
    "auditing",
    "auditing",
    "report_submitted",
    "evaluation_applied",
    "evaluating",
    "refused_then_evaluating",
    "implementing",
    "implementing",
    "acceptance_applied",
    "accepting",
    "accepted",
    "published",
    "published",
    "withdrawn",
]


def _programme(city, year: int, city_user) -> tuple[Programme, bool]:
    existing = Programme.objects.filter(city=city, year=year).first()
    if existing:
        return existing, False
    programme = programme_services.programme_create(city=city, year=year, actor=city_user)
    for name, md, source in [
        ("区县报送计划名单及上年度工作总结", (3, 19), "年度工作通知"),
        ("完成本年度审核评估并反馈技术审查意见", (11, 15), "年度工作通知"),
        ("报送本年度工作总结及下年度计划", (11, 30), "年度工作通知"),
    ]:
        programme_services.milestone_add(
            programme=programme, name=name, due_on=datetime.date(year, *md), source=source, actor=city_user
        )
    return programme, True


@transaction.atomic
def demo_load(stdout=None) -> dict:
    province, city, districts = demo_jurisdictions()
    users = {
        "province": demo_user("province", Role.PROVINCE, "省级审核处", jurisdiction=province),
        "city": demo_user("city", Role.CITY, "市局自然科", jurisdiction=city, section="自然科"),
        "district": demo_user("district", Role.DISTRICT, "渝北区生态环境局", jurisdiction=districts[9]),
        # The energy-saving authority (市经信委): leads the energy-only cases (办法 Art. 20).
        "energy": demo_user(
            "energy",
            Role.CITY,
            "市经信委节能处",
            jurisdiction=city,
            section="节能处",
            authority=Authority.ENERGY,
        ),
        "supervisor": demo_user("supervisor", Role.SUPERVISOR, "派驻纪检监察组", jurisdiction=city),
        "expert": demo_user("expert", Role.EXPERT, "王专家"),
        "auditor": demo_user("auditor", Role.AUDITOR, "审计管理员"),
        "security": demo_user("security", Role.SECURITY, "安全管理员"),
        "sysadmin": demo_user("sysadmin", Role.SYSADMIN, "系统管理员", is_staff=True),
    }
    city_user = users["city"]
    # Chongqing is a province-level city (直辖市): its list has no province confirmation.
    if not is_province_level(city):
        bureau_settings_set(jurisdiction=city, actor=city_user, province_level=True)
    enterprises = demo_enterprises(districts, city_user)
    agency, _ = Agency.objects.get_or_create(
        uscc=make_uscc("500112", 9000),
        defaults={"name": "重庆绿源清洁生产技术咨询有限公司", "jurisdiction": districts[9]},
    )
    users["agency"] = demo_user("agency", Role.AGENCY, "绿源咨询", agency=agency)

    programme, created = _programme(city, 2025, city_user)
    if created:
        from qingshen.reviews.opinions import pdf_available

        demo_permits(enterprises, city_user)

        # Opinions for one case of each state: enough to show, and the demo stays quick.
        render = pdf_available()
        for n, enterprise in enumerate(enterprises[:48]):
            programme_listings.listing_add(
                programme=programme, enterprise=enterprise, grounds=demo_grounds(n), actor=city_user
            )
        programme_lists.list_transition(name="city_confirm", programme=programme, actor=city_user)
        programme_lists.list_transition(
            name="publish", programme=programme, actor=city_user, published_on=P_2025
        )
        cases = list(programme.cases.order_by("pk"))
        for n, case in enumerate(cases):
            walk_case(
                case,
                PATHS[STATE_PLAN[n % len(STATE_PLAN)]],
                city_user=city_user,
                enterprise_user=demo_enterprise_account(case.enterprise),
                start=P_2025,
                render_opinions=render and n < len(STATE_PLAN),
            )
        for case in cases:
            if case.state in OPTION_STATES:
                demo_options(case, demo_enterprise_account(case.enterprise))
        for case in cases[2:5]:
            Delegation.objects.get_or_create(
                case=case,
                agency=agency,
                defaults={"starts_on": P_2025, "created_by": demo_enterprise_account(case.enterprise)},
            )
        demo_panel(programme, users["expert"], agency, city_user)
        demo_annual_disclosures(list(programme.cases.order_by("pk")), demo_enterprise_account)
        _demo_group(programme, enterprises[54], city_user)
        _demo_meeting(city_user)
    # The demo enterprise login is an enterprise with a case under way.
    showcase = programme.cases.filter(state="auditing").order_by("pk").first()
    if showcase is not None:
        users["enterprise"] = demo_user(
            "enterprise", Role.ENTERPRISE, showcase.enterprise.name[:30], enterprise=showcase.enterprise
        )

    draft, created = _programme(city, 2026, city_user)
    if created:
        for n, enterprise in enumerate(enterprises[48:54]):
            programme_listings.listing_add(
                programme=draft, enterprise=enterprise, grounds=demo_grounds(n), actor=city_user
            )
    return {"users": users, "programme": programme, "draft": draft}


def _demo_group(programme, lead, city_user) -> None:
    """A park audited as one project (环办科财函〔2023〕79号): two listed enterprises as members, the group
    through evaluation, so their own cases are counted as audited."""
    from qingshen.cases.groups import group_member_add
    from qingshen.programmes.groups import group_open

    group = group_open(
        programme=programme, lead=lead, lead_kind="park", name="两江新区园区整体审核", actor=city_user
    )
    for case in programme.cases.filter(state="listed", kind="mandatory").order_by("pk")[:2]:
        group_member_add(group_id=group.pk, enterprise=case.enterprise, actor=city_user)
    walk_case(
        group.case,
        PATHS["implementing"],
        city_user=city_user,
        enterprise_user=demo_enterprise_account(lead),
        start=group.case.published_on,
    )


def demo_relax_second_factor(security_user) -> None:
    """For a local demo only: no role needs a second factor, so every demo login works without an
    authenticator app. Done by the demo's security administrator through the logged service, so the
    operation log shows who relaxed it; a real installation keeps the default."""
    from qingshen.accounts.services import security_parameter_set

    security_parameter_set(actor=security_user, key="otp_required_roles", value="")


def _demo_meeting(city_user) -> None:
    """A batch evaluation meeting (集中评估) in two weeks gathering the city's accepted applications that
    have no conclusion yet, one panel each (some are drawn already)."""
    from django.utils import timezone

    from qingshen.reviews import scoping as reviews_scoping
    from qingshen.reviews.meeting_models import MeetingCase, ReviewMeeting
    from qingshen.reviews.models import Review
    from qingshen.reviews.services.meetings import meeting_create

    ids = [
        r.pk
        for r in Review.objects.filter(kind="evaluation", status=Review.Status.ACCEPTED)
        .exclude(pk__in=MeetingCase.objects.values("review_id"))
        .select_related("case")
        .order_by("pk")
        if reviews_scoping.may_organise_review(city_user, r)
    ][:3]
    if not ids:
        return
    meeting_create(
        actor=city_user,
        kind="evaluation",
        held_on=timezone.localdate() + datetime.timedelta(days=14),
        place="重庆市生态环境局三楼会议室",
        panel_mode=ReviewMeeting.PanelMode.PER_CASE,
        review_ids=ids,
    )

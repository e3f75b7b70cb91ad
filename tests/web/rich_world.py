"""Worlds with one object of every kind a URL names, for the scope sweep and the hostile-input fuzz.

`build(tag, base, industry)` makes a province, a city with two districts, one user per role, two
enterprises, an agency with staff, a published programme with a case per enterprise (one with its
disclosure draft and proof, one under evaluation with a drawn panel chaired by the world's expert), a
draft programme with an import batch, a penalty, an accountability record, a spot check, a summary
filing, a notification and a login session per user, and a held mail. Two worlds built with different
tags, region codes and industries (so different expert pools) share nothing but the global registers
(the agency register and the expert pool are province-wide by design).

`ids_for(world, pattern)` gives the objects a URL pattern's parameters name, consistently (the
document is the case's, the seat the review's, the listing the programme's).
"""

import datetime
import itertools
import re
from dataclasses import dataclass, field

from django.utils import timezone

from qingshen.accounts.api_tokens import api_token_create
from qingshen.accounts.invitations import invitation_issue
from qingshen.accounts.models import UserSession
from qingshen.accounts.roles import Role
from qingshen.cases.groups import group_member_add
from qingshen.cases.models import AnnualDisclosure, Target
from qingshen.demo import walk
from qingshen.demo.world import make_uscc
from qingshen.notifications.models import Delivery, Notification
from qingshen.oversight import services as oversight_services
from qingshen.oversight.models import AccountabilityRecord, ViolationType
from qingshen.oversight.penalties import penalty_order
from qingshen.oversight.spotchecks import spotcheck_draw
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from qingshen.programmes.groups import group_open
from qingshen.programmes.models import HistoryBatch, ImportBatch, Milestone, PermitBatch
from qingshen.registry.models import Agency, AgencyStaff, Enterprise, Industry, Permit
from qingshen.reports.models import SummaryFiling
from qingshen.reviews.models import Expert, Objection
from qingshen.reviews.services.draw import panel_draw
from qingshen.reviews.services.meetings import meeting_create
from tests import factories as f

_serial = itertools.count(900_000)

# The roles that request pages, in the order the fuzz tries them when it looks for a page's reader.
ROLES = [
    "city",
    "enterprise",
    "district",
    "province",
    "supervisor",
    "agency",
    "expert",
    "security",
    "auditor",
    "sysadmin",
]


@dataclass
class World:
    tag: str
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)  # kind -> model instance


def build(tag: str, base: str, industry_code: str, year: int) -> World:
    w = World(tag)
    province = f.jurisdiction(f"{tag}省", "province", code=f"{base}0000")
    city = f.jurisdiction(f"{tag}市", "city", province, code=f"{base}0100")
    north = f.jurisdiction(f"{tag}北区", "district", city, code=f"{base}0112")
    south = f.jurisdiction(f"{tag}南区", "district", city, code=f"{base}0113")
    industry = Industry.objects.get(code=industry_code, level="division")
    ents = [
        Enterprise.objects.create(
            name=f"{tag}{d.name}化工有限公司",
            uscc=make_uscc(d.code, next(_serial)),
            jurisdiction=d,
            industry=industry,
            contact_email=f"{tag.lower()}{n}@example.cn",
        )
        for n, d in enumerate((north, south))
    ]
    agency = Agency.objects.create(
        name=f"{tag}咨询有限公司", uscc=make_uscc(north.code, next(_serial)), jurisdiction=north
    )
    staff = AgencyStaff.objects.create(agency=agency, name=f"{tag}审核师", certificate_no=f"{tag}-CP-1")
    scope = {
        "province": {"jurisdiction": province},
        "city": {"jurisdiction": city},
        "district": {"jurisdiction": north},
        "supervisor": {"jurisdiction": city},
        "enterprise": {"enterprise": ents[0]},
        "agency": {"agency": agency},
    }
    for role in ROLES:
        w.users[role] = f.user(f"{tag.lower()}-{role}", getattr(Role, role.upper()), **scope.get(role, {}))
    w.users["enterprise_south"] = f.user(f"{tag.lower()}-enterprise2", Role.ENTERPRISE, enterprise=ents[1])
    newcomer = f.user(f"{tag.lower()}-newcomer", Role.ENTERPRISE, enterprise=ents[1])
    city_user = w.users["city"]

    programme = programme_services.programme_create(city=city, year=year, actor=city_user)
    for ent in ents:
        programme_listings.listing_add(
            programme=programme, enterprise=ent, grounds=["emissions"], actor=city_user
        )
    f.confirm_list(programme, city_user=city_user, province_user=w.users["province"])
    programme_lists.list_transition(
        name="publish",
        programme=programme,
        actor=city_user,
        published_on=timezone.localdate() - datetime.timedelta(days=40),
    )
    case_north = programme.cases.get(enterprise=ents[0])
    case_south = programme.cases.get(enterprise=ents[1])
    disclosure = f.disclosure_ready(case_north, w.users["enterprise"])

    f.walk(case_south, "evaluating", city_user=city_user, enterprise_user=w.users["enterprise_south"])
    expert = Expert.objects.create(user=w.users["expert"], name=f"{tag}专家")
    expert.specialties.add(industry)
    walk.expert_pool_ensure(industry=industry, count=6)
    Expert.objects.filter(specialties=industry).exclude(pk=expert.pk).update(
        last_drawn_on=datetime.date(2020, 1, 1)
    )
    review = walk.open_review(case_south, "evaluation")
    panel = panel_draw(review_id=review.pk, actor=city_user)
    meeting = meeting_create(
        actor=city_user,
        kind="evaluation",
        held_on=timezone.localdate(),
        place=f"{tag}会议室",
        panel_mode="per_case",
        review_ids=[review.pk],
    )
    # An objection is lodged only during a notice; the sweep needs only the row to ask for.
    objection = Objection.objects.create(
        meeting=meeting, name=f"{tag}异议人", contact="13800000000", text="异议"
    )

    draft = programme_services.programme_create(city=city, year=year + 1, actor=city_user)
    batch = ImportBatch.objects.create(
        programme=draft,
        file=f"imports/{draft.pk}/none",
        original_name="list.xlsx",
        sha256="0" * 64,
        status=ImportBatch.Status.INVALID,
        errors=[{"row": 2, "column": "企业名称", "problem": "x", "fix": "y"}],
        created_by=w.users["district"],
    )
    history_batch = HistoryBatch.objects.create(
        city=city,
        file=f"imports/history/{city.pk}/none",
        original_name="history.xlsx",
        sha256="0" * 64,
        sm3="0" * 64,
        status=HistoryBatch.Status.INVALID,
        errors=[{"row": 2, "column": "年度", "problem": "x", "fix": "y"}],
        created_by=w.users["district"],
    )
    permit_batch = PermitBatch.objects.create(
        jurisdiction=city,
        file=f"imports/permits/{city.pk}/none",
        original_name="permits.xlsx",
        sha256="0" * 64,
        sm3="0" * 64,
        status=PermitBatch.Status.INVALID,
        errors=[{"row": 2, "column": "许可证编号", "problem": "x", "fix": "y"}],
        created_by=w.users["district"],
    )
    permit = Permit.objects.create(
        enterprise=ents[0],
        number=f"{ents[0].uscc}001P",
        management_class=Permit.ManagementClass.KEY,
        issuing_authority="生态环境局",
        valid_from=datetime.date(year - 1, 1, 1),
        valid_to=datetime.date(year + 3, 12, 31),
    )
    penalty = penalty_order(
        violation=ViolationType.objects.get(code="art39_no_audit"),
        facts="未开展审核",
        correct_by=timezone.localdate() + datetime.timedelta(days=30),
        actor=city_user,
        enterprise=ents[0],
        case=case_north,
    )
    record = oversight_services.accountability_open(
        case=case_north,
        kind=AccountabilityRecord.Kind.OTHER,
        duty="未按时受理",
        explanation="说明",
        actor=city_user,
    )
    case_north.__class__.objects.filter(pk=case_north.pk).update(accepted_on=datetime.date(year - 1, 6, 1))
    spot = spotcheck_draw(city=city, year=year - 1, mode="count", amount=1, actor=city_user)
    filing = SummaryFiling.objects.create(
        programme=programme, district=north, figures={}, filed_by=w.users["district"]
    )
    notifications = {
        role: Notification.objects.create(recipient=user, subject=f"{tag}通知", url="/")
        for role, user in w.users.items()
    }
    sessions = {
        role: UserSession.objects.create(user=user, session_key=f"{tag}-{role}-session")
        for role, user in w.users.items()
    }
    delivery = Delivery.objects.create(
        address="x@example.cn",
        subject=f"{tag}通知",
        body="正文",
        official=True,
        jurisdiction_path=city.path,
        status=Delivery.Status.HELD,
    )
    # A published programme's milestones are fixed: the progress milestone is put in place directly.
    progress_milestone = Milestone.objects.create(
        programme=programme,
        kind=Milestone.Kind.PROGRESS_REPORT_DUE,
        name=f"{tag}进展报送",
        due_on=timezone.localdate() + datetime.timedelta(days=20),
    )
    # A group audit of the programme (its lead's case, kind `group`) with one member of no case of its own.
    lead = Enterprise.objects.create(
        name=f"{tag}工业园区管理委员会",
        uscc=make_uscc(north.code, next(_serial)),
        jurisdiction=north,
        industry=industry,
    )
    member_ent = Enterprise.objects.create(
        name=f"{tag}园区印染有限公司",
        uscc=make_uscc(north.code, next(_serial)),
        jurisdiction=north,
        industry=industry,
    )
    group = group_open(
        programme=programme, lead=lead, lead_kind="park", name=f"{tag}园区整体审核", actor=city_user
    )
    group_member = group_member_add(group_id=group.pk, enterprise=member_ent, actor=city_user)
    w.objects = {
        "group": group,
        "group_member": group_member,
        "province": province,
        "milestone": progress_milestone,
        "city": city,
        "district": north,
        "enterprise": ents[0],
        "agency": agency,
        "staff": staff,
        "programme": programme,
        "draft": draft,
        "draft_milestone": programme_services.milestone_add(
            programme=draft, name=f"{tag}节点", due_on=datetime.date(year + 1, 6, 30), actor=city_user
        ),
        "listing": programme.listings.get(enterprise=ents[0]),
        "case": case_north,
        "case_review": case_south,
        "disclosure": disclosure,
        # A draft (not public): every other user's request for it must be "not found".
        "annual_disclosure": AnnualDisclosure.objects.create(
            case=case_north, year=case_north.published_on.year, updated_by=w.users["enterprise"]
        ),
        "document": case_north.documents.latest("pk"),
        "target": Target.objects.create(
            case=case_north,
            name=f"{tag}单位产品能耗",
            unit="kgce/t",
            direction=Target.Direction.LOWER,
            baseline=120,
            target_value=108,
            target_year=case_north.published_on.year,
            updated_by=w.users["enterprise"],
        ),
        "review": review,
        "meeting": meeting,
        "objection": objection,
        "seat": panel.seats.get(expert=expert),
        "expert": expert,
        "batch": batch,
        "history_batch": history_batch,
        "permit_batch": permit_batch,
        "permit": permit,
        "penalty": penalty,
        "accountability": record,
        "spotcheck": spot,
        "spotcheck_item": spot.items.first(),
        "filing": filing,
        "notification": notifications["city"],
        "delivery": delivery,
        "session": sessions["city"],
        "user": w.users["enterprise"],
        # The city's own API token: every other user's revoke of it must be "not found".
        "api_token": api_token_create(
            user=w.users["city"],
            name=f"{tag}脚本",
            scope="read",
            expires_on=timezone.localdate() + datetime.timedelta(days=30),
        )[0],
    }
    w.notifications, w.sessions = notifications, sessions
    w.invitation = invitation_issue(user=newcomer, actor=city_user)
    return w


# What an id parameter names: `pk` by the route's leading segments, the others by their own name.
PK_BY_PREFIX = [
    ("api/v1/cases/", "case"),
    ("api/v1/programmes/", "programme"),
    ("api/v1/export/programme/", "programme"),
    ("api/v1/reviews/", "review"),
    ("api/v1/seats/", "seat"),
    ("api/v1/public/notices/", "meeting"),
    ("api/v1/enterprises/", "enterprise"),
    ("api/v1/meetings/", "meeting"),
    ("cases/", "case"),
    ("reviews/meetings/", "meeting"),
    ("groups/", "group"),
    ("portal/groups/", "group"),
    ("reviews/", "review"),
    ("expert/meetings/", "meeting"),
    ("expert/seats/", "seat"),
    ("experts/", "expert"),
    ("agencies/", "agency"),
    ("enterprises/", "enterprise"),
    ("programmes/", "programme"),
    ("penalties/", "penalty"),
    ("spotchecks/", "spotcheck"),
    ("inbox/", "notification"),
    ("outbox/", "delivery"),
    ("accountability/", "accountability"),
    ("public/lists/", "programme"),
    ("public/disclosures/", "disclosure"),
    ("public/annual/", "annual_disclosure"),
    ("public/review-notices/", "meeting"),
    ("security/grants/", "user"),
    ("account/sessions/", "session"),
    ("imports/", "batch"),
    ("account/api-tokens/", "api_token"),
]
KWARG_KIND = {
    "milestone_pk": "milestone",
    "doc_pk": "document",
    "case_pk": "case",
    "seat_pk": "seat",
    "district_pk": "district",
    "listing_pk": "listing",
    "batch_pk": "batch",
    "history_pk": "history_batch",
    "permit_batch_pk": "permit_batch",
    "permit_pk": "permit",
    "target_pk": "target",
    "filing_pk": "filing",
    "item_pk": "spotcheck_item",
    "agency_pk": "agency",
    "review_pk": "review",
    "objection_pk": "objection",
    "member_pk": "group_member",
    "expert_pk": "expert",
}
# Text parameters take a value the view accepts, so that only the ids decide.
TEXT_VALUES = {"kind": "evaluation", "step": "correct", "ext": "pdf", "year": str(datetime.date.today().year)}


def kind_of(route: str, kwarg: str) -> str:
    if kwarg != "pk":
        return KWARG_KIND[kwarg]
    for prefix, kind in PK_BY_PREFIX:
        if route.startswith(prefix):
            return kind
    raise KeyError(f"no object kind for the pk of {route!r}: add its prefix to PK_BY_PREFIX")


def object_for(world: World, route: str, kwarg: str):
    kind = kind_of(route, kwarg)
    if kind == "programme" and route.startswith("programmes/<int:pk>/import/"):
        kind = "draft"  # imports go into a draft list
    if route.startswith("api/v1/programmes/<int:pk>/milestones/"):
        kind = {"programme": "draft", "milestone": "draft_milestone"}[kind]  # editable while a draft
    if route.startswith(("api/v1/programmes/<int:pk>/listings/", "api/v1/programmes/<int:pk>/list-steps/")):
        kind = "draft"  # a draft list's entries and workflow
    if kind == "case" and "/apply/" in route:
        kind = "case_review"
    return world.objects[kind]


@dataclass
class Pattern:
    name: str
    route: str  # the route as written, e.g. "cases/<int:pk>/documents/<int:doc_pk>/"
    params: dict  # kwarg -> "int" or "str"

    @property
    def ids(self) -> list[str]:
        return [k for k, t in self.params.items() if t == "int"]

    def url(self, values: dict) -> str:
        from django.urls import reverse

        return reverse(self.name, kwargs=values)


def url_patterns() -> list[Pattern]:
    """Every named pattern of the site from the resolver (the admin and Django's i18n view aside)."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.urls.converters import IntConverter

    found = []

    def walk_patterns(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                if route.startswith(("admin/", "i18n/")):
                    continue
                walk_patterns(p.url_patterns, route)
            elif isinstance(p, URLPattern) and p.name:
                converters = getattr(p.pattern, "converters", {})
                if converters:
                    params = {
                        k: "int" if isinstance(c, IntConverter) else "str" for k, c in converters.items()
                    }
                else:  # a regular expression: a group of digits is an id
                    params = {
                        k: "int" if re.search(rf"\(\?P<{k}>\[0-9\]\+\)", route) else "str"
                        for k in p.pattern.regex.groupindex
                    }
                found.append(Pattern(p.name, route.lstrip("^"), params))

    walk_patterns(get_resolver().url_patterns, "")
    return found

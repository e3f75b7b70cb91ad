"""`manage.py demo`: a Chongqing-like city with its districts and functional zones, ~60 enterprises
across the key industries, a published programme with cases in every state, a draft programme to walk
through, and one user per role. Idempotent: a second run changes nothing and prints the logins.

All case movement goes through the real services (case_transition), dated with `effective_on`.
"""

import datetime
import hashlib
import os

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from qingshen.accounts.models import Jurisdiction, User
from qingshen.accounts.roles import Role
from qingshen.cases import services as case_services
from qingshen.cases.lifecycle import Action, ReviewStep, review_action, transition_get
from qingshen.cases.models import Delegation
from qingshen.demo.disclosures import disclosure_fill_for_demo
from qingshen.programmes import services as programme_services
from qingshen.programmes.models import Programme
from qingshen.registry import services as registry_services
from qingshen.registry import uscc
from qingshen.registry.models import Agency, Enterprise, Industry

DEMO_PASSWORD = os.environ.get("QINGSHEN_DEMO_PASSWORD", "qingshen-demo")

DISTRICTS = [
    ("渝中区", "500103", "Yuzhong District"),
    ("大渡口区", "500104", "Dadukou District"),
    ("江北区", "500105", "Jiangbei District"),
    ("沙坪坝区", "500106", "Shapingba District"),
    ("九龙坡区", "500107", "Jiulongpo District"),
    ("南岸区", "500108", "Nan'an District"),
    ("北碚区", "500109", "Beibei District"),
    ("綦江区", "500110", "Qijiang District"),
    ("大足区", "500111", "Dazu District"),
    ("渝北区", "500112", "Yubei District"),
    ("巴南区", "500113", "Banan District"),
    ("长寿区", "500115", "Changshou District"),
    ("江津区", "500116", "Jiangjin District"),
    ("合川区", "500117", "Hechuan District"),
    ("永川区", "500118", "Yongchuan District"),
    ("璧山区", "500120", "Bishan District"),
    ("涪陵区", "500102", "Fuling District"),
    ("万州区", "500101", "Wanzhou District"),
]
ZONES = [
    ("两江新区", "Liangjiang New Area"),
    ("重庆高新区", "Chongqing High-tech Zone"),
    ("万盛经开区", "Wansheng Economic Development Zone"),
]

# (division, name stem, suffix): key industries of 环办科财〔2020〕27号 and Chongqing's 电池.
INDUSTRY_NAMES = [
    ("26", "化工", "化工有限公司"),
    ("33", "电镀", "表面处理有限公司"),
    ("31", "钢铁", "钢铁有限责任公司"),
    ("30", "建材", "水泥有限公司"),
    ("32", "有色", "铝业有限公司"),
    ("17", "印染", "印染有限公司"),
    ("22", "造纸", "纸业有限公司"),
    ("27", "制药", "原料药有限公司"),
    ("13", "食品", "农副食品有限公司"),
    ("23", "印刷", "包装印刷有限公司"),
    ("44", "能源", "热电有限公司"),
    ("25", "焦化", "焦化有限公司"),
    ("38", "电池", "新能源电池有限公司"),
    ("36", "汽车", "汽车零部件涂装有限公司"),
]
PLACE_WORDS = [
    "长江",
    "嘉陵",
    "缙云",
    "歌乐",
    "南山",
    "铁山",
    "明月",
    "华蓥",
    "金佛",
    "四面",
    "綦河",
    "龙溪",
    "朝天",
    "磁器",
    "鹅岭",
    "观音",
    "双桂",
    "白帝",
    "巫峡",
    "大宁",
]

# The path to each state as (action, days after P); every state of the lifecycle appears.
PATHS = {
    "listed": [],
    "disclosed": [(Action.DISCLOSE, 20)],
    "auditing": [(Action.DISCLOSE, 20), (Action.START_AUDIT, 45)],
    "report_submitted": [(Action.DISCLOSE, 20), (Action.START_AUDIT, 45), (Action.SUBMIT_REPORT, 300)],
}
PATHS["evaluation_applied"] = [*PATHS["report_submitted"], (Action.APPLY_EVALUATION, 320)]
PATHS["evaluating"] = [*PATHS["evaluation_applied"], (Action.ACCEPT_EVALUATION_APPLICATION, 324)]
PATHS["implementing"] = [*PATHS["evaluating"], (Action.PASS_EVALUATION, 350)]
PATHS["acceptance_applied"] = [*PATHS["implementing"], (Action.APPLY_ACCEPTANCE, 480)]
PATHS["accepting"] = [*PATHS["acceptance_applied"], (Action.ACCEPT_ACCEPTANCE_APPLICATION, 484)]
PATHS["accepted"] = [*PATHS["accepting"], (Action.PASS_ACCEPTANCE, 510)]
PATHS["published"] = [*PATHS["accepted"], (Action.PUBLISH_RESULT, 520)]
PATHS["withdrawn"] = [(Action.DISCLOSE, 20), (Action.WITHDRAW, 100)]
# A loop: refused once, applied again, now under evaluation.
PATHS["refused_then_evaluating"] = [
    *PATHS["evaluation_applied"],
    (Action.REFUSE_EVALUATION_APPLICATION, 323),
    (Action.SUBMIT_REPORT, 330),
    (Action.APPLY_EVALUATION, 333),
    (Action.ACCEPT_EVALUATION_APPLICATION, 336),
]
# The panel failed the audit: back to auditing with the panel's reasons (used by tests).
PATHS["evaluation_failed"] = [*PATHS["evaluating"], (Action.FAIL_EVALUATION, 350)]
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
P_2025 = datetime.date(2025, 3, 20)


def make_uscc(region: str, serial: int) -> str:
    """A valid 统一社会信用代码 for demo use: 9 (market regulation) 1 (enterprise), region, subject id."""
    digest = hashlib.sha256(f"qingshen-demo-{serial}".encode()).digest()
    subject = "".join(uscc.ALPHABET[b % len(uscc.ALPHABET)] for b in digest[:9])
    first17 = f"91{region}{subject}"
    return first17 + uscc.check_character(first17)


def _user(username: str, role: str, name: str, **scope) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"role": role, "first_name": name, **scope}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _jurisdictions():
    province = _english(
        Jurisdiction.objects.get_or_create(
            name="重庆市", parent=None, defaults={"level": Jurisdiction.Level.PROVINCE, "code": "500000"}
        )[0],
        "Chongqing Municipality",
    )
    city = _english(
        Jurisdiction.objects.get_or_create(
            name="重庆市（市局）",
            parent=province,
            defaults={"level": Jurisdiction.Level.CITY, "code": "500100"},
        )[0],
        "Chongqing (municipal bureau)",
    )
    districts = []
    for order, (name, code, name_en) in enumerate(DISTRICTS):
        d, _ = Jurisdiction.objects.get_or_create(
            name=name,
            parent=city,
            defaults={"level": Jurisdiction.Level.DISTRICT, "code": code, "sort_order": order},
        )
        districts.append(_english(d, name_en))
    for order, (name, name_en) in enumerate(ZONES, start=len(DISTRICTS)):
        d, _ = Jurisdiction.objects.get_or_create(
            name=name,
            parent=city,
            defaults={"level": Jurisdiction.Level.DISTRICT, "is_functional_zone": True, "sort_order": order},
        )
        districts.append(_english(d, name_en))
    return province, city, districts


def _english(jurisdiction, name_en: str):
    """Demo databases made before jurisdictions had English names get them too."""
    if not jurisdiction.name_en:
        jurisdiction.name_en = name_en
        jurisdiction.save(update_fields=["name_en"])
    return jurisdiction


def _enterprises(districts, city_user) -> list[Enterprise]:
    industries = {i.code: i for i in Industry.objects.filter(level="division")}
    result = []
    for n in range(60):
        district = districts[n % len(districts)]
        division, stem, suffix = INDUSTRY_NAMES[n % len(INDUSTRY_NAMES)]
        name = (
            f"重庆{PLACE_WORDS[n % len(PLACE_WORDS)]}{stem}{suffix}"
            if n < 20
            else f"重庆{PLACE_WORDS[n % len(PLACE_WORDS)]}{PLACE_WORDS[(n // 20) + 3]}{suffix}"
        )
        code = make_uscc(district.code or "500000", n)
        existing = Enterprise.objects.filter(uscc=code).first()
        if existing:
            result.append(existing)
            continue
        result.append(
            registry_services.enterprise_create(
                actor=city_user,
                name=name,
                uscc=code,
                jurisdiction=district,
                industry=industries.get(division),
                check_scope=False,
                permit_number=f"{code}001P",
                legal_representative="张三",
                address=f"重庆市{district.name}工业园区{n + 1}号",
                contact_name="李四",
                contact_phone=f"023-6{n:07d}",
                contact_email=f"ehs{n}@example.cn",
            )
        )
    return result


def _grounds(n: int) -> list[str]:
    return [["emissions"], ["hazardous"], ["energy"], ["emissions", "hazardous"], ["hazardous"]][n % 5]


def walk_case(
    case,
    path,
    *,
    city_user,
    enterprise_user,
    start: datetime.date,
    reason: str = "",
    level: str = "",
    render_opinions: bool = False,
):
    """Take the steps of `path` on `case`, each dated `start` + its offset (never later than today).

    Plain steps go through case_transition; applications, checks and conclusions through the reviews
    services (materials, completeness check, a drawn panel, sheets, the chair's confirmation). Used by
    the demo and by the tests."""
    today = timezone.localdate()
    for n, (action, offset) in enumerate(path):
        day = min(start + datetime.timedelta(days=offset), today)
        transition = transition_get(action)
        if transition.via_review:
            _review_step(
                case,
                transition,
                next_action=path[n + 1][0] if n + 1 < len(path) else "",
                city_user=city_user,
                enterprise_user=enterprise_user,
                day=day,
                reason=reason,
                level=level,
                render_opinions=render_opinions,
            )
            continue
        actor = enterprise_user if Role.ENTERPRISE in transition.roles else city_user
        kwargs = {"case_id": case.pk, "actor": actor, "action": action, "effective_on": day}
        if action == Action.DISCLOSE:
            # Art. 11: the step submits a complete disclosure with its proof (issue 5).
            disclosure_fill_for_demo(case=case, actor=enterprise_user)
        if transition.needs_document:
            case_services.case_transition_with_upload(
                upload=ContentFile(b"%PDF-1.4\n% demo: closure notice\n", name="关停证明.pdf"),
                reason=reason or "企业已关停（政府关闭文件见附件）。",
                **kwargs,
            )
        else:
            case_services.case_transition(**kwargs)
    case.refresh_from_db()
    return case


OPTION_STATES = {"implementing", "acceptance_applied", "accepting", "accepted", "published"}


def _options(case, owner) -> None:
    """Baselines and a typical option table, through the real services (issue 5)."""
    from decimal import Decimal as D

    from qingshen.cases import options as option_services
    from qingshen.cases.models import Indicator

    done = case.state != "implementing"
    for code, value in (("energy", "5200"), ("water", "180000"), ("cod", "42"), ("electricity", "860")):
        option_services.baseline_save(
            case=case,
            actor=owner,
            indicator=Indicator.objects.get(code=code),
            value=D(value),
            source="审核报告",
        )
    day = case.audit_started_on or case.published_on
    late = case.evaluation_passed_on or day
    rows = [
        ("F1", "加强设备跑冒滴漏管理", "low", "0.5", {"water": ("3000", "3200"), "economic": ("1.2", "1.3")}),
        ("F2", "照明改用LED", "low", "3.2", {"electricity": ("12", "11.5"), "economic": ("7.8", "7.5")}),
        ("F3", "冷凝水回收利用", "low", "6", {"water": ("12000", "11800"), "energy": ("35", "33")}),
        (
            "Z1",
            "空压机余热回收及变频改造",
            "high",
            "85",
            {"electricity": ("60", None), "energy": ("180", None)},
        ),
        ("Z2", "废水深度处理回用", "high", "260", {"water": ("40000", None), "cod": ("6.5", None)}),
    ]
    data = []
    for code, name, cost, inv, benefits in rows:
        high = cost == "high"
        implemented = not high or done
        data.append(
            option_services.OptionData(
                code=code,
                name=name,
                cost_class=cost,
                investment=D(inv),
                status="implemented" if implemented else "implementing",
                planned_on=day,
                started_on=late if high else day,
                implemented_on=(case.acceptance_applied_on or late)
                if implemented and high
                else (day if implemented else None),
                benefits={
                    k: (D(e), D(v) if v is not None else (D(e) if implemented and done else None))
                    for k, (e, v) in benefits.items()
                },
            )
        )
    option_services.options_save(case=case, actor=owner, rows=data)


def _review_step(
    case, transition, *, next_action, city_user, enterprise_user, day, reason, level, render_opinions
):
    from qingshen.demo import walk
    from qingshen.reviews import services as review_services

    kind, step = transition.review
    if step == ReviewStep.APPLY:
        # An application about to be refused lacks a material, so the refusal is an ordinary one.
        complete = next_action != review_action(kind, ReviewStep.REFUSE)
        walk.application_submit(case=case, kind=kind, actor=enterprise_user, day=day, complete=complete)
        return
    review = walk.open_review(case, kind)
    if step in {ReviewStep.ACCEPT, ReviewStep.REFUSE}:
        review_services.review_check(
            review_id=review.pk,
            actor=city_user,
            accept=step == ReviewStep.ACCEPT,
            reason=reason or "申请材料缺少清洁生产审核报告的技术支撑材料（物料平衡测试报告）。",
            effective_on=day,
        )
        return
    passed = step == ReviewStep.PASS
    walk.panel_conclude(
        review=review,
        passed=passed,
        city_user=city_user,
        day=day,
        level=(level or ["I", "II", "III"][case.pk % 3]) if passed else "",
        render_opinions=render_opinions,
    )


def _demo_panel(programme, expert_user, agency, city_user) -> None:
    """The demo expert (all the demo's industries) is invited as the chair of a fresh panel: never drawn
    before, it comes first among the least recently drawn."""
    from qingshen.demo import walk
    from qingshen.registry.models import AgencyStaff
    from qingshen.reviews import services as review_services
    from qingshen.reviews.models import Expert

    for name, role, cert in [("周审核", "技术负责人", "CPA-2019-0311"), ("吴工", "审核师", "CPA-2021-0127")]:
        AgencyStaff.objects.get_or_create(
            agency=agency, name=name, defaults={"role": role, "certificate_no": cert}
        )
    expert, _ = Expert.objects.get_or_create(
        user=expert_user,
        defaults={
            "name": expert_user.first_name,
            "title": "正高级工程师",
            "employer_name": "重庆大学",
            "fields": ["process", "environment", "audit"],
            "certificate_no": "CP-DEMO-0001",
        },
    )
    expert.specialties.set(
        Industry.objects.filter(level="division", code__in=[c for c, _s, _x in INDUSTRY_NAMES])
    )
    case = programme.cases.filter(state="evaluating", reviews__panel__isnull=True).order_by("pk").first()
    if case is None or case.enterprise.industry is None:
        return
    walk.expert_pool_ensure(industry=case.enterprise.industry, count=6)
    # The pool's history: everyone else sat on a panel in 2025, so the demo expert is drawn first (chair).
    Expert.objects.filter(last_drawn_on__isnull=True).exclude(pk=expert.pk).update(last_drawn_on=P_2025)
    review = walk.open_review(case, "evaluation")
    review_services.panel_draw(review_id=review.pk, actor=city_user)


def _enterprise_account(enterprise: Enterprise) -> User:
    from qingshen.accounts.invitations import enterprise_primary_account

    existing = enterprise_primary_account(enterprise)  # made on publication, with its invitation
    if existing is not None:
        return existing
    user, created = User.objects.get_or_create(
        username=f"e{enterprise.uscc.lower()}",
        defaults={"role": Role.ENTERPRISE, "enterprise": enterprise, "first_name": enterprise.name[:30]},
    )
    if created:  # these accounts only act in the demo's history; nobody logs in with them
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


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
    province, city, districts = _jurisdictions()
    users = {
        "province": _user("province", Role.PROVINCE, "省级审核处", jurisdiction=province),
        "city": _user("city", Role.CITY, "市局自然科", jurisdiction=city, section="自然科"),
        "district": _user("district", Role.DISTRICT, "渝北区生态环境局", jurisdiction=districts[9]),
        "supervisor": _user("supervisor", Role.SUPERVISOR, "派驻纪检监察组", jurisdiction=city),
        "expert": _user("expert", Role.EXPERT, "王专家"),
        "auditor": _user("auditor", Role.AUDITOR, "审计管理员"),
        "security": _user("security", Role.SECURITY, "安全管理员"),
        "sysadmin": _user("sysadmin", Role.SYSADMIN, "系统管理员", is_staff=True),
    }
    city_user = users["city"]
    enterprises = _enterprises(districts, city_user)
    agency, _ = Agency.objects.get_or_create(
        uscc=make_uscc("500112", 9000),
        defaults={"name": "重庆绿源清洁生产技术咨询有限公司", "jurisdiction": districts[9]},
    )
    users["agency"] = _user("agency", Role.AGENCY, "绿源咨询", agency=agency)

    programme, created = _programme(city, 2025, city_user)
    if created:
        from qingshen.reviews.opinions import pdf_available

        # Opinions for one case of each state: enough to show, and the demo stays quick.
        render = pdf_available()
        for n, enterprise in enumerate(enterprises[:48]):
            programme_services.listing_add(
                programme=programme, enterprise=enterprise, grounds=_grounds(n), actor=city_user
            )
        programme_services.programme_submit(programme=programme, actor=city_user)
        programme_services.programme_confirm(programme=programme, actor=users["province"])
        programme_services.programme_publish(programme=programme, actor=city_user, published_on=P_2025)
        cases = list(programme.cases.order_by("pk"))
        for n, case in enumerate(cases):
            walk_case(
                case,
                PATHS[STATE_PLAN[n % len(STATE_PLAN)]],
                city_user=city_user,
                enterprise_user=_enterprise_account(case.enterprise),
                start=P_2025,
                render_opinions=render and n < len(STATE_PLAN),
            )
        for case in cases:
            if case.state in OPTION_STATES:
                _options(case, _enterprise_account(case.enterprise))
        for case in cases[2:5]:
            Delegation.objects.get_or_create(
                case=case,
                agency=agency,
                defaults={"starts_on": P_2025, "created_by": _enterprise_account(case.enterprise)},
            )
        _demo_panel(programme, users["expert"], agency, city_user)
    # The demo enterprise login is an enterprise with a case under way.
    showcase = programme.cases.filter(state="auditing").order_by("pk").first()
    if showcase is not None:
        users["enterprise"] = _user(
            "enterprise", Role.ENTERPRISE, showcase.enterprise.name[:30], enterprise=showcase.enterprise
        )

    draft, created = _programme(city, 2026, city_user)
    if created:
        for n, enterprise in enumerate(enterprises[48:54]):
            programme_services.listing_add(
                programme=draft, enterprise=enterprise, grounds=_grounds(n), actor=city_user
            )
    return {"users": users, "programme": programme, "draft": draft}


def demo_relax_second_factor(security_user) -> None:
    """For a local demo only: no role needs a second factor, so every demo login works without an
    authenticator app. Done by the demo's security administrator through the logged service, so the
    operation log shows who relaxed it; a real installation keeps the default."""
    from qingshen.accounts.services import security_parameter_set

    security_parameter_set(actor=security_user, key="otp_required_roles", value="")

"""Plain builders for tests: real rows through the real services where a service exists."""

import itertools

from qingshen.accounts.models import Jurisdiction, User
from qingshen.accounts.roles import Authority, Role
from qingshen.demo.case_walk import PATHS, walk_case
from qingshen.demo.world import make_uscc
from qingshen.registry.models import Agency, Enterprise, Industry

_serial = itertools.count(1)
PASSWORD = "correct-horse-42"


def jurisdiction(name, level, parent=None, code=""):
    return Jurisdiction.objects.create(name=name, level=level, parent=parent, code=code)


def user(username, role, **scope):
    u = User.objects.create(username=username, role=role, **scope)
    u.set_password(PASSWORD)
    u.save()
    return u


def energy_user(username, jurisdiction, role=Role.CITY):
    """Staff of the energy-saving authority (发改委/经信委), which leads the energy-only cases."""
    return user(username, role, jurisdiction=jurisdiction, authority=Authority.ENERGY)


def enterprise(district, name=None, **fields):
    n = next(_serial)
    return Enterprise.objects.create(
        name=name or f"测试企业{n}有限公司",
        uscc=make_uscc(district.code or "500000", 100000 + n),
        jurisdiction=district,
        industry=Industry.objects.filter(code="26").first(),
        **fields,
    )


def agency(name="测试咨询有限公司"):
    return Agency.objects.create(name=name, uscc=make_uscc("500112", 200000 + next(_serial)))


def enterprise_user(ent):
    return user(f"ent{ent.pk}-{next(_serial)}", Role.ENTERPRISE, enterprise=ent)


def walk(case, state, *, city_user, enterprise_user):
    """Move `case` to `state` through the real service (the demo's paths, dated from P, capped at today)."""
    return walk_case(
        case,
        PATHS[state],
        city_user=city_user,
        enterprise_user=enterprise_user,
        start=case.published_on,
        reason="材料不全",
        level="II",
    )


def counted_by_group(case, *, city_user):
    """Make `case` a member of a new group audit (its lead in the case's district) and pass the group's
    evaluation, so the case is counted by the group (the only way into that state)."""
    from qingshen.cases.groups import group_member_add
    from qingshen.programmes.groups import group_open

    lead = enterprise(case.jurisdiction)
    group = group_open(
        programme=case.programme, lead=lead, lead_kind="park", name="园区整体审核", actor=city_user
    )
    group_member_add(group_id=group.pk, enterprise=case.enterprise, actor=city_user)
    walk_case(
        group.case,
        PATHS["implementing"],
        city_user=city_user,
        enterprise_user=enterprise_user(lead),
        start=group.case.published_on,
    )
    case.refresh_from_db()
    return case


def report_ready(case, actor):
    """The audit focus and a target the report goes with, so that `submit_report` may be taken."""
    from qingshen.demo.case_walk import report_contents_fill_for_demo

    report_contents_fill_for_demo(case=case, actor=actor)
    return case


def targets_met(case, actor):
    """Each target's actual value entered as reached, so that the acceptance is not vetoed on it."""
    from qingshen.demo.case_walk import target_actuals_fill_for_demo

    target_actuals_fill_for_demo(case=case, actor=actor)
    return case


def disclosure_ready(case, actor):
    """A complete disclosure draft with its proof, so that `disclose` may be taken (issue 5)."""
    from qingshen.demo.disclosures import disclosure_fill_for_demo

    return disclosure_fill_for_demo(case=case, actor=actor)


def confirm_list(programme, *, city_user, province_user):
    """The city submits the draft list and the province confirms it (the step before publication)."""
    from qingshen.programmes import lists as programme_lists

    programme_lists.list_transition(name="submit", programme=programme, actor=city_user)
    return programme_lists.list_transition(name="confirm", programme=programme, actor=province_user)


def expert(name="专家", *, industry_code="26", user=None, **fields):
    """An active expert of the pool with a specialty (a GB/T 4754 division)."""
    from qingshen.reviews.models import Expert

    e = Expert.objects.create(name=name, user=user, **fields)
    e.specialties.add(Industry.objects.get(code=industry_code, level="division"))
    return e


def reseed():
    """Put back the data the migrations seed (industries, rules, procedure, checklists, rubrics).

    A transactional test (transaction=True) flushes every table when it ends, seed data included, so
    a later transactional test that needs it calls this first. Idempotent."""
    import importlib

    from django.apps import apps

    if not Industry.objects.exists():
        importlib.import_module("qingshen.registry.migrations.0002_load_gbt4754").load(apps, None)
    importlib.import_module("qingshen.oversight.migrations.0002_seed_rules_and_procedure").seed(apps, None)
    importlib.import_module("qingshen.oversight.migrations.0005_seed_warning_rules").seed(apps, None)
    importlib.import_module("qingshen.oversight.migrations.0007_seed_violation_types").seed(apps, None)
    importlib.import_module("qingshen.reviews.migrations.0002_seed_checklists_rubrics").forward(apps, None)
    importlib.import_module("qingshen.cases.migrations.0003_seed_indicators").seed(apps, None)
    importlib.import_module("qingshen.cases.migrations.0009_names_in_english").fill(apps, None)
    importlib.import_module("qingshen.oversight.migrations.0011_names_in_english").fill(apps, None)
    importlib.import_module("qingshen.reviews.migrations.0004_checklist_item_document_kind").items_typed(
        apps, None
    )
    importlib.import_module("qingshen.programmes.migrations.0004_seed_plan_years_rule").seed(apps, None)
    importlib.import_module("qingshen.programmes.migrations.0006_seed_programme_date_rules").seed(apps, None)
    importlib.import_module("qingshen.reviews.migrations.0005_seed_panel_rules").seed_rules(apps, None)
    importlib.import_module("qingshen.reviews.migrations.0008_seed_acceptance_limit_rule").seed_rules(
        apps, None
    )
    importlib.import_module("qingshen.procedures.migrations.0005_seed_review_organise_rules").seed(apps, None)
    importlib.import_module("qingshen.cases.migrations.0017_seed_annual_disclosure_rules").seed(apps, None)
    importlib.import_module("qingshen.oversight.migrations.0016_seed_permit_renewal_rule").seed(apps, None)
    importlib.import_module("qingshen.reviews.migrations.0011_seed_meeting_rules").seed_rules(apps, None)
    importlib.import_module("qingshen.cases.migrations.0022_seed_group_rule").seed(apps, None)


def form_errors_shown(response, form_id: str, form_name: str = "form") -> list[str]:
    """The errors of the page's form `form_name`, each asserted to be shown inside the form `form_id`
    (beside its field or above the fields), not flashed. Returns them."""
    import html
    import re

    form = response.context[form_name]
    errors = [str(e) for e in form.non_field_errors()] + [
        str(e) for name, errs in form.errors.items() if name != "__all__" for e in errs
    ]
    assert errors, "the form has no errors"
    page = response.content.decode()
    match = re.search(rf'<form[^>]*id="{form_id}".*?</form>', page, re.S)
    assert match, f"no form {form_id} on the page"
    inside = html.unescape(re.sub(r"<[^>]+>", "", match.group(0)))
    for error in errors:
        assert html.unescape(re.sub(r"<[^>]+>", "", error)) in inside, error
    assert not any(m.level_tag == "error" for m in response.context["messages"]), "flashed as well"
    return errors

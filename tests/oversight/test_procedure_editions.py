"""The procedure is the city's: it edits it in the app, each edit an edition with the day it takes
effect, shown on the public page with the history; the seed follows the bureau's form."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qingshen.oversight.procedure_edit import ProcedureRefused, procedure_edit
from qingshen.procedures.models import Procedure, ProcedureVersion
from qingshen.procedures.versions import FIELDS, versions_apply_due
from qingshen.trail.models import Event
from tests import factories as f


def _procedure():
    return Procedure.objects.prefetch_related("steps").get()


def _fields(**changes):
    p = _procedure()
    return {**{f: getattr(p, f) for f in FIELDS}, **changes}


def test_the_seed_follows_the_form(db):
    p = _procedure()
    assert p.name == "重点企业清洁生产审核评估和验收"
    assert "“县级以上地方人民政府有关部门应当对企业实施强制性清洁生产审核的情况进行监督" in p.legal_basis
    assert "由市局填写" not in p.supervision and "第四十六条" in p.remedies and "第二十条" in p.remedies
    assert p.versions.count() == 1 and p.version == 1


def test_an_edition_in_effect_today_and_one_waiting_for_its_day(world):
    city = world.users["city"]
    today = timezone.localdate()
    v2 = procedure_edit(
        actor=city,
        procedure=_procedure(),
        fields=_fields(
            mandate="《某市生态环境局职能配置、内设机构和人员编制规定》第三条第五款；自然生态保护科",
            supervision_phone="023-12345678",
        ),
        steps={2: {"responsible_section": "区县生态环境局"}},
        effective_on=today,
        note="补充三定规定和监督电话",
    )
    p = _procedure()
    assert v2.applied_at and p.version == 2 and p.supervision_phone == "023-12345678"
    assert p.steps.get(order=2).responsible_section == "区县生态环境局"
    later = today + datetime.timedelta(days=10)
    v3 = procedure_edit(
        actor=city,
        procedure=p,
        fields=_fields(remarks="2027 年起施行"),
        steps={},
        effective_on=later,
        note="备注",
    )
    assert v3.applied_at is None and _procedure().remarks == ""
    html = Client().get(reverse("public-procedure")).content.decode()
    assert 'id="procedure-upcoming"' in html and "023-12345678" in html and 'data-version="3"' in html
    assert versions_apply_due(today) == 0
    with time_machine.travel(later):
        call_command("sweep", "--skip-recompute", verbosity=0)
    p = _procedure()
    assert p.version == 3 and p.remarks == "2027 年起施行" and p.supervision_phone == "023-12345678"
    assert Event.objects.filter(action="procedure.version.apply").count() == 2
    assert Event.objects.filter(action="procedure.version.add").count() == 2


@pytest.mark.parametrize(
    "changes, day, note",
    [
        ({"name": ""}, 0, "x"),
        ({}, -1, "x"),
        ({}, 0, ""),
        ({"power_type": "bogus"}, 0, "x"),
        ({"remedies": "\u202e反向"}, 0, "x"),
    ],
)
def test_refused_editions_change_nothing(world, changes, day, note):
    with pytest.raises(ProcedureRefused):
        procedure_edit(
            actor=world.users["city"],
            procedure=_procedure(),
            fields=_fields(**changes),
            steps={},
            effective_on=timezone.localdate() + datetime.timedelta(days=day),
            note=note,
        )
    assert ProcedureVersion.objects.count() == 1 and _procedure().version == 1


def test_the_edit_page_is_the_city_bureaus(world, client_for):
    url = reverse("procedure-edit")
    for who in ("district", "province", "enterprise", "auditor", "sysadmin", "expert"):
        assert client_for(world.users[who]).get(url).status_code == 404
        assert client_for(world.users[who]).post(url, {}).status_code == 404
    client = client_for(world.users["city"])
    page = client.get(url)
    assert page.status_code == 200 and 'id="procedure-unfilled"' in page.content.decode()
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        discipline_phone="023-87654321", effective_on=timezone.localdate().isoformat(), note="补充纪检电话"
    )
    response = client.post(url, data)
    assert response.status_code == 302 and _procedure().discipline_phone == "023-87654321"
    data.update(name="", note="清空")
    response = client.post(url, data)
    assert response.status_code == 400
    assert f.form_errors_shown(response, "procedure-edit")
    assert _procedure().name == "重点企业清洁生产审核评估和验收"

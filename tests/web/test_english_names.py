"""English pages show the English names the data has (districts, indicators, the procedure and its
steps), and the Chinese name where there is none; Chinese pages and documents keep the Chinese."""

from django.urls import reverse
from django.utils import translation

from qingshen.cases.models import Indicator
from qingshen.procedures.models import Procedure, ProcedureStep

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _named(world):
    world.north.name_en = "North District"
    world.north.save()
    return world


def test_the_seeded_indicators_and_procedure_have_english_names(db):
    energy = Indicator.objects.get(code="energy")
    with translation.override("en"):
        assert (energy.local_name, energy.local_unit, energy.label) == (
            "Energy saved",
            "tce/yr",
            "Energy saved (tce/yr)",
        )
        assert (
            Procedure.objects.get().local_name
            == "Evaluation and acceptance of cleaner production audits of key enterprises"
        )
        assert ProcedureStep.objects.get(order=2).local_name == "Audit evaluation"
    with translation.override("zh-hans"):
        assert (
            energy.label == "节能量（吨标准煤/年）"
            and Procedure.objects.get().local_name == "重点企业清洁生产审核评估和验收"
        )


def test_the_procedure_page_in_english(db, client):
    html = client.get(reverse("public-procedure"), **EN).content.decode()
    assert (
        "Evaluation and acceptance of cleaner production audits of key enterprises" in html
        and "Publish the results" in html
    )
    html = client.get(reverse("public-procedure")).content.decode()
    assert "重点企业清洁生产审核评估和验收" in html and "Publish the results" not in html


def test_the_case_list_and_summary_in_english(world, client_for):
    w = _named(world)
    client = client_for(w.users["city"])
    html = client.get(reverse("case-list"), **EN).content.decode()
    assert html.count("North District") >= 2  # the district filter and the north case's row
    assert "南区" in html  # no English name: the Chinese one
    html = client.get(reverse("summary-page", args=[w.programme.pk]), **EN).content.decode()
    assert "North District" in html and "Energy saved (tce/yr)" in html
    assert "North District" not in client.get(reverse("case-list")).content.decode()


def test_the_options_page_names_indicators_in_english(world, client_for):
    html = (
        client_for(world.users["enterprise"])
        .get(reverse("case-options", args=[world.case_north.pk]), **EN)
        .content.decode()
    )
    assert "Energy saved" in html and "tce/yr" in html and "节能量" not in html

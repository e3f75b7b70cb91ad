"""A review form that fails comes back on its page with its errors: beside the field they concern, or
above the form's fields when the service refused. Nothing is written, and what was typed is kept."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from qingshen.cases.models import Delegation
from qingshen.reviews.models import (
    AgencyRating,
    ChecklistItem,
    Expert,
    ExpertConflict,
    Panel,
    PanelSeat,
    Review,
    RubricItem,
    Score,
)
from qingshen.reviews.services.conclusion import score_submit
from qingshen.reviews.services.draw import seat_redraw
from qingshen.reviews.services.seats import seat_respond
from tests import factories as f
from tests.reviews.forms_html import field_errors, form_errors, form_html


def _zh(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def test_a_check_without_a_decision_is_shown_beside_the_buttons(world, client_for, applied):
    response = client_for(world.users["city"]).post(
        reverse("review-check", args=[applied.pk]), {"decision": "maybe", "reason": "我写的理由"}
    )
    assert response.status_code == 200
    f.form_errors_shown(response, "check-form", "check_form")
    assert field_errors(response, "check-form", "decision"), form_html(response, "check-form")
    assert "我写的理由" in form_html(response, "check-form")  # what was typed stays
    assert Review.objects.get(pk=applied.pk).status == Review.Status.APPLIED


def test_a_refused_check_is_shown_on_the_check_form(world, client_for, applied):
    response = client_for(world.users["city"]).post(
        reverse("review-check", args=[applied.pk]), {"decision": "refuse", "reason": "x"}
    )
    assert response.status_code == 200
    f.form_errors_shown(response, "check-form", "check_form")
    assert form_errors(response, "check-form") == [
        _zh(
            "The checklist is complete. Refusing it needs an explicit override with a reason, "
            "and it is recorded as an accountability case."
        )
    ]
    assert Review.objects.get(pk=applied.pk).status == Review.Status.APPLIED


def test_a_pin_without_a_reason_is_shown_beside_the_reason(world, client_for, accepted):
    expert = Expert.objects.filter(is_active=True).first()
    response = client_for(world.users["city"]).post(
        reverse("conflict-pin", args=[accepted.pk]), {"expert": expert.pk, "reason": "  "}
    )
    assert response.status_code == 200
    f.form_errors_shown(response, "pin-form", "pin_form")
    assert field_errors(response, "pin-form", "reason") == [_zh("Give the reason for the conflict.")]
    assert not ExpertConflict.objects.exists()


def test_a_dismissal_without_a_reason_is_shown_on_its_own_form(world, client_for, accepted):
    e = f.expert("误报专家", employer_uscc=world.ent_north.uscc)
    response = client_for(world.users["city"]).post(
        reverse("conflict-dismiss", args=[accepted.pk]), {"expert": e.pk, "rule": "employer_enterprise"}
    )
    assert response.status_code == 200
    errors = field_errors(response, f"dismiss-{e.pk}-employer_enterprise", "reason")
    assert errors == [_zh("Give the reason why this exclusion is a false positive.")]


def test_a_refused_draw_is_shown_on_the_draw_form(world, client_for, accepted):
    Expert.objects.update(is_active=False)
    response = client_for(world.users["city"]).post(reverse("panel-draw", args=[accepted.pk]))
    assert response.status_code == 200
    f.form_errors_shown(response, "draw-form", "draw_form")
    errors = form_errors(response, "draw-form")
    assert len(errors) == 1 and accepted.case.enterprise.industry.code in errors[0], errors
    assert not Panel.objects.exists()


def test_a_refused_redraw_is_shown_on_the_seat_s_own_button(world, client_for, drawn):
    for seat in drawn[:2]:
        seat_respond(seat_id=seat.pk, actor=seat.expert.user, accept=False, reason="出差")
    seat_redraw(seat_id=drawn[0].pk, actor=world.users["city"])  # the last candidate of the record
    review_pk = drawn[0].panel.review_id
    response = client_for(world.users["city"]).post(reverse("seat-redraw", args=[review_pk, drawn[1].pk]))
    assert response.status_code == 200
    assert len(form_errors(response, f"redraw-{drawn[1].pk}")) == 1
    assert not PanelSeat.objects.filter(replaces=drawn[1]).exists()


def test_a_sheet_with_a_bad_score_shows_it_beside_the_item_and_keeps_the_others(world, client_for, drawn):
    seat = drawn[0]
    seat_respond(seat_id=seat.pk, actor=seat.expert.user, accept=True, no_conflict=True)
    items = [i for i in seat.panel.review.rubric.items.all() if i.kind == RubricItem.Kind.SCORED]
    data = {f"item_{i.pk}": str(i.max_points) for i in items}
    data[f"item_{items[2].pk}"] = "九十"
    response = client_for(seat.expert.user).post(reverse("score-submit", args=[seat.pk]), data)
    assert response.status_code == 200
    f.form_errors_shown(response, "score-form", "score_form")
    errors = field_errors(response, "score-form", f"item_{items[2].pk}")
    assert len(errors) == 1 and items[2].text in errors[0] and "九十" in errors[0]
    assert not field_errors(response, "score-form", f"item_{items[0].pk}")
    assert f'value="{items[0].max_points}"' in form_html(response, "score-form")
    assert not Score.objects.exists()


def test_accepting_without_the_declaration_is_refused_on_the_answer_form(world, client_for, drawn):
    seat = drawn[0]
    response = client_for(seat.expert.user).post(
        reverse("seat-respond", args=[seat.pk]), {"answer": "accept"}
    )
    assert response.status_code == 200
    f.form_errors_shown(response, "respond-form", "respond_form")
    assert form_errors(response, "respond-form") == [
        _zh("To accept, declare that you have no conflict of interest with the enterprise.")
    ]
    assert PanelSeat.objects.get(pk=seat.pk).status == PanelSeat.Status.INVITED


def test_a_rating_off_the_scale_is_shown_beside_the_rating(world, client_for, drawn):
    Delegation.objects.create(
        case=drawn[0].panel.review.case,
        agency=world.agency,
        starts_on=drawn[0].panel.review.case.published_on,
        created_by=world.users["enterprise"],
    )
    review = drawn[0].panel.review
    for seat in drawn:
        seat_respond(seat_id=seat.pk, actor=seat.expert.user, accept=True, no_conflict=True)
    points = {i.pk: str(i.max_points) for i in review.rubric.items.filter(kind="scored")}
    for seat in drawn:
        score_submit(seat_id=seat.pk, actor=seat.expert.user, points=points)
    chair = drawn[0]
    response = client_for(chair.expert.user).post(
        reverse("review-confirm", args=[chair.pk]), {"agency_rating": "9", "requirements": "按期实施"}
    )
    assert response.status_code == 200
    f.form_errors_shown(response, "confirm-form", "confirm_form")
    assert field_errors(response, "confirm-form", "agency_rating")
    assert "按期实施" in form_html(response, "confirm-form")
    assert not Review.objects.get(pk=review.pk).outcome and not AgencyRating.objects.exists()


def test_a_stale_form_is_flashed_on_its_page(world, client_for, drawn):
    """The sheet was already submitted (another tab): the page no longer has the form, so it says so."""
    seat = drawn[0]
    seat_respond(seat_id=seat.pk, actor=seat.expert.user, accept=True, no_conflict=True)
    items = seat.panel.review.rubric.items.filter(kind="scored")
    data = {f"item_{i.pk}": str(i.max_points) for i in items}
    score_submit(seat_id=seat.pk, actor=seat.expert.user, points={i.pk: str(i.max_points) for i in items})
    response = client_for(seat.expert.user).post(reverse("score-submit", args=[seat.pk]), data)
    assert response.status_code == 302 and response.url == reverse("seat-detail", args=[seat.pk])
    assert Score.objects.get().total == Decimal("100.00")


def test_applying_again_is_refused_on_the_application_form(world, client_for, applied):
    files = {
        f"item_{i.code}": SimpleUploadedFile(f"{i.code}.pdf", b"%PDF-1.4 x", "application/pdf")
        for i in ChecklistItem.objects.filter(kind="evaluation", is_active=True)
    }
    response = client_for(world.users["enterprise"]).post(
        reverse("review-apply", args=[applied.case_id, "evaluation"]), files
    )
    assert response.status_code == 200 and form_errors(response, "apply-form")
    f.form_errors_shown(response, "apply-form")
    assert Review.objects.count() == 1


def test_settings_forms_show_their_errors_in_their_kind_s_section(world, client_for):
    client = client_for(world.users["city"])
    empty = client.post(
        reverse("review-settings"), {"op": "checklist_add", "kind": "acceptance", "name": " "}
    )
    assert empty.status_code == 200
    assert field_errors(empty, "checklist-add-acceptance", "name") == [_zh("Name the material.")]
    assert not field_errors(empty, "checklist-add-evaluation", "name")
    bad = {
        "op": "rubric_version",
        "kind": "evaluation",
        "lines": "评分 | 报告 | 规范 | 100 | 1",
        "pass_mark": "七十",
        "pass_mark_source": "",
    }
    response = client.post(reverse("review-settings"), bad)
    assert field_errors(response, "rubric-form-evaluation", "pass_mark") == [
        _zh("The pass mark and the bonus maximum are numbers.")
    ]
    assert field_errors(response, "rubric-form-evaluation", "pass_mark_source") == [
        _zh("Give the source of the pass mark.")
    ]
    assert not field_errors(response, "rubric-form-evaluation", "lines")
    assert "评分 | 报告 | 规范 | 100 | 1" in form_html(response, "rubric-form-evaluation")


def test_the_expert_form_shows_bad_fields_and_refusals_on_the_form(world, client_for):
    client = client_for(world.users["city"])
    response = client.post(reverse("expert-new"), {"name": "李工", "industries": "26", "email": "not-mail"})
    assert response.status_code == 200 and field_errors(response, "expert-form", "email")
    refused = client.post(reverse("expert-new"), {"name": "李工", "industries": "99"})
    assert refused.status_code == 200 and any("99" in e for e in form_errors(refused, "expert-form"))
    assert not Expert.objects.exists()


def test_an_import_without_a_file_says_so_beside_the_file(world, client_for):
    response = client_for(world.users["city"]).post(reverse("expert-import"), {})
    assert response.status_code == 200
    f.form_errors_shown(response, "import-form")
    assert field_errors(response, "import-form", "file") == [_zh("Choose a file to upload.")]


def test_agency_staff_errors_are_shown_on_the_staff_form(world, client_for):
    client = client_for(world.users["agency"])
    url = reverse("agency-staff-add", args=[world.agency.pk])
    empty = client.post(url, {"name": "", "certificate_no": "CP-9"})
    assert empty.status_code == 200 and field_errors(empty, "staff-form", "name") == [_zh("Give the name.")]
    assert 'value="CP-9"' in form_html(empty, "staff-form")
    bidi = client.post(url, {"name": "审核师\u202e乙"})
    assert bidi.status_code == 200 and form_errors(bidi, "staff-form")
    assert not world.agency.staff.exists()


@pytest.mark.parametrize("role", ["enterprise", "district"])
def test_someone_without_the_form_is_told_on_the_page_not_shown_a_form(world, client_for, applied, role):
    response = client_for(world.users[role]).post(
        reverse("review-check", args=[applied.pk]), {"decision": "accept"}
    )
    assert response.status_code == 302 and response.url == reverse("review-detail", args=[applied.pk])
    assert Review.objects.get(pk=applied.pk).status == Review.Status.APPLIED

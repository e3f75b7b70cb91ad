"""Sheets, the computed result, the chair's conclusion and the opinions (issue §4, §5)."""

import io
from decimal import Decimal

import pytest

from qingshen.cases import scoping as cases_scoping
from qingshen.cases.models import AuditCase, Delegation
from qingshen.demo import walk
from qingshen.reviews import scoping
from qingshen.reviews.errors import ReviewNotFound, ReviewRefused
from qingshen.reviews.models import AgencyRating, Review, RubricItem, Score, ScoreLine
from qingshen.reviews.services.applications import review_check
from qingshen.reviews.services.conclusion import review_confirm, score_submit
from qingshen.reviews.services.draw import panel_draw
from qingshen.reviews.services.seats import seat_respond
from tests import factories as f


def _panel(w, accept=True):
    panel = panel_draw(review_id=w.review.pk, actor=w.users["city"])
    seats = list(panel.seats.select_related("expert__user").order_by("position"))
    if accept:
        for s in seats:
            seat_respond(seat_id=s.pk, actor=s.expert.user, accept=True, no_conflict=True)
    w.review.refresh_from_db()
    return seats


def _items(w, kind=None):
    items = list(w.review.rubric.items.all())
    return [i for i in items if kind is None or i.kind == kind]


def _full(w, share="0.9"):
    return {i.pk: str(i.max_points * Decimal(share)) for i in _items(w, RubricItem.Kind.SCORED)}


def _submit(seat, points, vetoes=()):
    return score_submit(seat_id=seat.pk, actor=seat.expert.user, points=points, vetoes=vetoes)


@pytest.mark.parametrize("bad", ["abc", "-1", "999", "", "NaN", "1e999"])
def test_bad_scores_are_refused_and_nothing_is_written(evaluating, bad):
    w = evaluating
    seat = _panel(w)[0]
    points = _full(w)
    first = _items(w, RubricItem.Kind.SCORED)[0]
    points[first.pk] = bad
    with pytest.raises(ReviewRefused) as err:
        _submit(seat, points)
    assert first.text in err.value.message
    assert not Score.objects.exists() and not ScoreLine.objects.exists()


def test_a_sheet_is_submitted_once(evaluating):
    w = evaluating
    seat = _panel(w)[0]
    _submit(seat, _full(w))
    with pytest.raises(ReviewRefused):
        _submit(seat, _full(w, "0.5"))
    assert Score.objects.get().total == Decimal("90.00")


def test_scoring_before_accepting_is_refused(evaluating):
    w = evaluating
    seat = _panel(w, accept=False)[0]
    with pytest.raises(ReviewRefused):
        _submit(seat, _full(w))


def test_weights_and_capped_bonus(evaluating):
    w = evaluating
    seats = _panel(w)
    rubric = w.review.rubric
    scored = _items(w, RubricItem.Kind.SCORED)
    RubricItem.objects.filter(pk=scored[0].pk).update(weight=Decimal("0.5"))
    points = {i.pk: str(i.max_points) for i in scored}
    points.update({i.pk: str(i.max_points) for i in _items(w, RubricItem.Kind.BONUS)})
    score = _submit(seats[0], points)
    # 100 − half of the first item's points + bonus capped at the rubric's maximum (5).
    assert score.total == Decimal(100) - scored[0].max_points / 2 + rubric.bonus_max


def test_the_result_is_the_mean_and_proposes_pass(evaluating):
    w = evaluating
    seats = _panel(w)
    for n, seat in enumerate(seats):
        _submit(seat, _full(w, ["0.6", "0.7", "0.8", "0.9", "1"][n]))
        w.review.refresh_from_db()
        assert (w.review.proposed_outcome != "") == (n == 4)  # proposed only when every sheet is in
    assert w.review.result_score == Decimal("80.00") and w.review.proposed_outcome == "pass"


def test_trimmed_mean_setting(evaluating, settings):
    settings.QINGSHEN_PANEL_RESULT = "trimmed_mean"
    w = evaluating
    for seat, share in zip(_panel(w), ["0.1", "0.7", "0.7", "0.7", "1"], strict=True):
        _submit(seat, _full(w, share))
    w.review.refresh_from_db()
    assert w.review.result_score == Decimal("70.00") and w.review.proposed_outcome == "pass"


def test_below_the_pass_mark_fails(evaluating):
    w = evaluating
    for seat in _panel(w):
        _submit(seat, _full(w, "0.69"))
    w.review.refresh_from_db()
    assert w.review.proposed_outcome == "fail" and "70" in w.review.conclusion_reasons


def test_any_veto_fails_and_nobody_overrides_it(evaluating):
    w = evaluating
    seats = _panel(w)
    veto = _items(w, RubricItem.Kind.VETO)[2]
    for n, seat in enumerate(seats):
        _submit(seat, _full(w, "1"), vetoes=[veto.pk] if n == 3 else [])
    w.review.refresh_from_db()
    assert w.review.result_score == Decimal("100.00")
    assert w.review.result_vetoed and w.review.proposed_outcome == "fail"
    assert veto.text in w.review.conclusion_reasons
    review = review_confirm(review_id=w.review.pk, actor=seats[0].expert.user, render_opinions=False)
    assert review.outcome == "fail"
    case = AuditCase.objects.get(pk=w.case.pk)
    assert case.state == "auditing"


def test_no_one_sees_others_scores_before_submitting(evaluating):
    """Seats are the expert's own; another expert's seat is not found."""
    w = evaluating
    seats = _panel(w)
    _submit(seats[0], _full(w))
    assert not scoping.seats_visible(seats[1].expert.user).filter(pk=seats[0].pk).exists()
    with pytest.raises(ReviewNotFound):
        score_submit(seat_id=seats[0].pk, actor=seats[1].expert.user, points=_full(w))


def _concluded(w, shares=("0.9",) * 5):
    seats = _panel(w)
    for seat, share in zip(seats, shares, strict=True):
        _submit(seat, _full(w, share))
    return seats


def test_only_the_chair_confirms_and_only_once(evaluating):
    w = evaluating
    seats = _concluded(w)
    with pytest.raises(ReviewRefused):
        review_confirm(review_id=w.review.pk, actor=seats[1].expert.user, render_opinions=False)
    with pytest.raises(ReviewRefused):
        review_confirm(review_id=w.review.pk, actor=w.users["city"], render_opinions=False)
    with pytest.raises(ReviewNotFound):
        review_confirm(review_id=w.review.pk, actor=w.users["enterprise_south"], render_opinions=False)
    review_confirm(review_id=w.review.pk, actor=seats[0].expert.user, render_opinions=False)
    with pytest.raises(ReviewRefused):
        review_confirm(review_id=w.review.pk, actor=seats[0].expert.user, render_opinions=False)
    assert AuditCase.objects.get(pk=w.case.pk).version == w.case.version + 1


def test_confirm_before_all_sheets_is_refused(evaluating):
    w = evaluating
    seats = _panel(w)
    _submit(seats[0], _full(w))
    with pytest.raises(ReviewRefused):
        review_confirm(review_id=w.review.pk, actor=seats[0].expert.user, render_opinions=False)


def test_evaluation_passed_sets_the_acceptance_deadline_and_rates_the_agency(evaluating):
    w = evaluating
    Delegation.objects.create(
        case=w.case, agency=w.agency, starts_on=w.case.published_on, created_by=w.users["enterprise"]
    )
    seats = _concluded(w)
    review_confirm(
        review_id=w.review.pk,
        actor=seats[0].expert.user,
        agency_rating=4,
        requirements="巩固方案",
        render_opinions=False,
    )
    case = AuditCase.objects.get(pk=w.case.pk)
    assert case.state == "implementing"
    due = case.deadlines.get(kind="acceptance_apply")
    assert due.starts_on == case.evaluation_passed_on and due.status == "open"
    assert AgencyRating.objects.get().rating == 4


def _to_acceptance(w):
    walk.panel_conclude(review=w.review, passed=True, city_user=w.users["city"], day=w.case.published_on)
    case = AuditCase.objects.get(pk=w.case.pk)
    walk.application_submit(case=case, kind="acceptance", actor=w.users["enterprise"], day=case.published_on)
    review = walk.open_review(case, "acceptance")
    review_check(review_id=review.pk, actor=w.users["city"], accept=True)
    return review


def test_acceptance_passed_with_a_level_and_failed_back_to_implementing(evaluating):
    w = evaluating
    review = _to_acceptance(w)
    walk.panel_conclude(review=review, passed=False, city_user=w.users["city"], day=w.case.published_on)
    case = AuditCase.objects.get(pk=w.case.pk)
    assert case.state == "implementing" and Review.objects.get(pk=review.pk).outcome == "fail"
    assert Review.objects.get(pk=review.pk).outcome_label.startswith(("Not qualified", "不合格"))


def test_opinions_are_pdf_and_docx_with_the_chinese_text_and_figures(evaluating, pdf_renderer):
    from docx import Document as Docx
    from pypdf import PdfReader

    w = evaluating
    seats = _concluded(w, ("0.8", "0.9", "0.9", "0.9", "1"))
    review_confirm(review_id=w.review.pk, actor=seats[0].expert.user, requirements="继续推进中/高费方案实施")
    docs = {d.original_name.rsplit(".", 1)[1]: d for d in w.case.documents.filter(kind="opinion")}
    assert set(docs) == {"pdf", "docx"}
    text = "".join(p.extract_text() for p in PdfReader(docs["pdf"].file.open("rb")).pages)
    for expected in (
        "技术审查意见",
        w.ent_north.name,
        w.ent_north.uscc,
        "90.00",
        "70.00",
        "通过",
        "继续推进中/高费方案实施",
        seats[0].expert.name,
        "组长",
    ):
        assert expected in text, expected
    docx_text = "\n".join(p.text for p in Docx(io.BytesIO(docs["docx"].file.open("rb").read())).paragraphs)
    assert "综合得分：90.00" in docx_text and w.ent_north.name in docx_text
    # The enterprise sees them in its portal.
    assert cases_scoping.documents_visible(w.users["enterprise"]).filter(pk=docs["pdf"].pk).exists()


def test_materials_are_visible_to_an_expert_only_after_accepting(evaluating):
    w = evaluating
    panel = panel_draw(review_id=w.review.pk, actor=w.users["city"])
    seat = panel.seats.select_related("expert__user").first()
    user = seat.expert.user
    material = w.review.materials.first().document
    assert not cases_scoping.documents_visible(user).filter(pk=material.pk).exists()
    seat_respond(seat_id=seat.pk, actor=user, accept=True, no_conflict=True)
    assert cases_scoping.documents_visible(user).filter(pk=material.pk).exists()
    # An expert of no panel of this case does not see it.
    assert not cases_scoping.documents_visible(w.users["expert"]).filter(pk=material.pk).exists()
    assert not cases_scoping.documents_visible(f.user("x2", "expert")).filter(pk=material.pk).exists()


def test_the_acceptance_opinion_does_not_supersede_the_evaluation_opinion(evaluating):
    from qingshen.cases.models import Document

    w = evaluating
    walk.panel_conclude(
        review=w.review, passed=True, city_user=w.users["city"], day=w.case.published_on, render_opinions=True
    )
    case = AuditCase.objects.get(pk=w.case.pk)
    walk.application_submit(case=case, kind="acceptance", actor=w.users["enterprise"], day=case.published_on)
    review = walk.open_review(case, "acceptance")
    review_check(review_id=review.pk, actor=w.users["city"], accept=True)
    walk.panel_conclude(
        review=review,
        passed=True,
        level="II",
        city_user=w.users["city"],
        day=case.published_on,
        render_opinions=True,
    )
    current = Document.objects.filter(case=case, superseded_by__isnull=True, kind__in=Document.OPINION_KINDS)
    assert sorted((d.kind, d.original_name[:4], d.original_name.rsplit(".", 1)[1]) for d in current) == [
        ("acceptance_opinion", "验收意见", "docx"),
        ("acceptance_opinion", "验收意见", "pdf"),
        ("opinion", "技术审查", "docx"),
        ("opinion", "技术审查", "pdf"),
    ]

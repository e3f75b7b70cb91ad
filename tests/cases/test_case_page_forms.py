"""The case pages show a form's errors beside its fields, and a refused step on the form that sent it."""

import re

from django.contrib.messages import get_messages
from django.urls import reverse

from qingshen.cases.lifecycle import Action


def _form_of(html: str, action: str) -> str:
    """The HTML of the step form for `action` on the case page."""
    match = re.search(rf'<form [^>]*data-action="{action}".*?</form>', html, re.S)
    assert match, f"no form for {action}"
    return match.group(0)


def _flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_refused_withdrawal_is_shown_on_its_form(world, client_for):
    client = client_for(world.users["city"])
    case = world.case_north
    response = client.post(
        reverse("case-transition", args=[case.pk]),
        {"action": Action.WITHDRAW, "version": case.version, "reason": "  ", "comment": "核实中"},
    )
    assert response.status_code == 200  # the page again, not a redirect to it with a message
    assert _flashed(response) == []
    refusal = str(response.context["refusal"])
    assert "理由" in refusal
    form = _form_of(response.content.decode(), Action.WITHDRAW)
    assert "data-step-refused" in form and refusal in form
    assert "核实中" in form  # what the user wrote is kept
    case.refresh_from_db()
    assert case.state == "listed"


def test_a_field_error_is_shown_beside_its_field(world, client_for):
    client = client_for(world.users["city"])
    case = world.case_north
    response = client.post(
        reverse("case-transition", args=[case.pk]),
        {"action": Action.WITHDRAW, "version": case.version, "reason": "企业关停", "comment": "长" * 2001},
    )
    assert response.status_code == 200 and _flashed(response) == []
    form = _form_of(response.content.decode(), Action.WITHDRAW)
    comment = re.search(r'<details class="mb-2" open>.*?</details>', form, re.S)
    assert comment, "the comment is unfolded to show its error"
    assert 'name="comment"' in comment.group(0) and "is-invalid" in comment.group(0)
    assert "2000" in comment.group(0) and "invalid-feedback" in comment.group(0)
    case.refresh_from_db()
    assert case.state == "listed"


def test_a_step_no_longer_offered_is_refused_above_the_steps(world, client_for):
    """The case moved on (another tab, a double click): the refusal stands above the steps now offered,
    and the forms carry the version the page shows."""
    client = client_for(world.users["enterprise"])
    case = world.case_north
    url = reverse("case-transition", args=[case.pk])
    done = client.post(url, {"action": Action.DISCLOSE, "version": case.version}, follow=True)
    assert done.redirect_chain and done.context["case"].state == "disclosed"
    response = client.post(url, {"action": Action.DISCLOSE, "version": case.version})
    assert response.status_code == 200 and _flashed(response) == []
    html = response.content.decode()
    refusal = str(response.context["refusal"])
    steps = html.split("data-step-refused", 1)
    assert len(steps) == 2 and refusal in steps[1].split("</div>", 1)[0]
    form = _form_of(html, Action.START_AUDIT)
    assert f'name="version" value="{case.version + 1}"' in form


def test_a_broken_hidden_input_is_the_form_s_error(world, client_for):
    client = client_for(world.users["city"])
    response = client.post(
        reverse("case-transition", args=[world.case_north.pk]), {"action": Action.WITHDRAW, "version": "abc"}
    )
    assert response.status_code == 200 and _flashed(response) == []
    form = _form_of(response.content.decode(), Action.WITHDRAW)
    errors = response.context["sent"].non_field_errors()
    assert len(errors) == 1 and "data-step-refused" in form and errors[0] in form
    assert not response.context["sent"].errors.get("version")  # no "enter a whole number" for a hidden input


def test_the_case_list_shows_a_bad_filter_beside_its_field(world, client_for):
    client = client_for(world.users["city"])
    response = client.get(reverse("case-list"), {"state": "teleported"})
    assert response.status_code == 200
    html = response.content.decode()
    select = re.search(r'<select name="state"[^>]*>', html).group(0)
    assert "is-invalid" in select
    after = html.split(select, 1)[1]
    assert (
        after.split("</select>", 1)[1]
        .lstrip()
        .startswith('<div class="invalid-feedback" id="id_state_error">')
    )
    assert 'id="filter-not-applied"' in html

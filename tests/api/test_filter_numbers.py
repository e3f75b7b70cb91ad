"""A number in a filter that no column can hold is a 400 on that parameter, never a 500 (SQLite raised
an integer overflow for `?case=-7.7e78`)."""

import pytest


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/documents/?case=-7.776063783512387e%2B78",
        "/api/v1/listings/?programme=1e30",
        "/api/v1/option-totals/?programme=99999999999999999999999",
        "/api/v1/options/?case=1.5",
        "/api/v1/reviews/?case=-1e100",
        "/api/v1/cases/?programme=1e40",
        "/api/v1/summary-filings/?programme=1e40",
        "/api/v1/spotchecks/?year=1e40",
    ],
)
def test_a_number_out_of_range_is_refused_as_bad_input(world, api_as, url):
    response = api_as(world.users["city"]).get(url)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and body["fields"]

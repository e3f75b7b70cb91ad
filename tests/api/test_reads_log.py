"""The operation log: the audit administrator reads it, everyone else is told it is not there."""

from qingshen.trail.models import Event
from tests.api.rich import ids

OTHERS = [
    "city",
    "province",
    "district",
    "supervisor",
    "enterprise",
    "agency",
    "expert",
    "security",
    "sysadmin",
]


def test_the_auditor_reads_the_log_newest_first_and_filtered(rich, db):
    _a, _b, clients = rich
    newest = Event.objects.order_by("-at", "-id").first()
    listed = ids(clients["auditor"].get("/api/v1/log/"))
    assert listed[0] == newest.pk
    filtered = (
        clients["auditor"].get("/api/v1/log/", {"action": "panel.", "page_size": 100}).json()["results"]
    )
    assert filtered and all(e["action"].startswith("panel.") for e in filtered)
    one = clients["auditor"].get(f"/api/v1/log/{newest.pk}/").json()
    assert one["seq"] == newest.seq and one["action_label"]


def test_no_one_else_reads_the_log(rich, db):
    _a, _b, clients = rich
    event = Event.objects.order_by("pk").first()
    for role in OTHERS:
        assert clients[role].get("/api/v1/log/").status_code == 404, role
        assert clients[role].get(f"/api/v1/log/{event.pk}/").status_code == 404, role
    assert clients["anonymous"].get("/api/v1/log/").status_code == 401

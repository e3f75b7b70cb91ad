"""Times written into messages and texts are in the local time zone (Asia/Shanghai), as the tables
show them: never the stored UTC."""

import ast
import datetime
import pathlib

import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from qingshen.reports.models import SummaryFiling

SOURCE = pathlib.Path(__file__).resolve().parents[1] / "qingshen"
# 2026-12-01 20:08 UTC is 2026-12-02 04:08 in Shanghai: another day as well as another hour.
LATE_EVENING_UTC = datetime.datetime(2026, 12, 1, 20, 8, tzinfo=datetime.UTC)


def test_the_filing_message_gives_the_local_time(world, client_for):
    client = client_for(world.users["district"])
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        response = client.post(reverse("summary-file", args=[world.programme.pk, world.north.pk]))
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("2026-12-02 04:08" in m for m in shown), shown
    assert not any("20:08" in m for m in shown)
    assert "2026-12-02" in str(SummaryFiling.objects.get())


def _time_like(node) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return name == "at" or name.endswith(("_at", "until"))


def test_no_stored_time_is_formatted_without_localtime():
    """A stored datetime (`…_at`, `…until`) put into text with a %-format must pass localtime first."""
    offenders = []
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
                spec = ast.unparse(node.format_spec)
                if "%" in spec and _time_like(node.value):
                    offenders.append(f"{path.relative_to(SOURCE.parent)}:{node.lineno}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "strftime"
                and _time_like(node.func.value)
            ):
                offenders.append(f"{path.relative_to(SOURCE.parent)}:{node.lineno}")
    assert offenders == []

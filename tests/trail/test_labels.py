"""Every action the code logs has a readable label, translated into Chinese: the test reads every
event_record call in the source, so a new action without a label fails here."""

import ast
import pathlib

import pytest
from django.urls import reverse
from django.utils import translation

from qingshen.cases.lifecycle import TRANSITIONS
from qingshen.notifications.models import Delivery
from qingshen.programmes.lists import TRANSITIONS as LIST_TRANSITIONS
from qingshen.trail.labels import action_label, labels_all
from qingshen.trail.services import event_record

SOURCE = pathlib.Path(__file__).resolve().parents[2] / "qingshen"


def _values(node, constants) -> list[str] | None:
    """The strings an argument can be, or None when it cannot be read from the source."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    if isinstance(node, ast.IfExp):
        a, b = _values(node.body, constants), _values(node.orelse, constants)
        return a + b if a is not None and b is not None else None
    return None


def _calls(name: str):
    """(file:line, keyword node) of every call of `name` with its `action`/`what` argument."""
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            t.targets[0].id: t.value.value
            for t in tree.body
            if isinstance(t, ast.Assign)
            and len(t.targets) == 1
            and isinstance(t.targets[0], ast.Name)
            and isinstance(t.value, ast.Constant)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            called = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if called != name:
                continue
            where = f"{path.relative_to(SOURCE.parent)}:{node.lineno}"
            args = {kw.arg: kw.value for kw in node.keywords}
            yield where, args, constants


def logged_actions() -> tuple[set[str], list[str]]:
    """Every action string the code can log, and the calls it could not read."""
    exports = set()
    unreadable = []
    for where, args, constants in _calls("export_record"):
        values = _values(args.get("what"), constants)
        if values is None:
            unreadable.append(where)
        else:
            exports.update(values)
    # Actions built from a prefix and a value of a known set.
    families = {
        "case.transition.": [t.action for t in TRANSITIONS],
        "programme.": [t.name for t in LIST_TRANSITIONS],
        "export.": sorted(exports),
        "notification.delivery.": list(Delivery.Status.values),
        "review.acceptance_limit.": ["propose", "set"],
    }
    actions = set()
    calls = [*_calls("event_record"), *_calls("events_record_many")]  # one event or one per object
    for where, args, constants in calls:
        if where.startswith("qingshen/trail/services.py"):
            continue  # the definition's own helpers
        node = args.get("action")
        values = _values(node, constants)
        if values is not None:
            actions.update(values)
            continue
        if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
            prefix = node.values[0].value
            if prefix in families and len(node.values) == 2:
                actions.update(prefix + v for v in families[prefix])
                continue
        unreadable.append(where)
    return actions, unreadable


def test_every_logged_action_has_a_label():
    actions, unreadable = logged_actions()
    assert not unreadable, (
        f"actions the label check cannot read (use a literal or a known family): {unreadable}"
    )
    assert len(actions) > 80  # the reader found the calls
    missing = sorted(a for a in actions if action_label(a) == a)
    assert not missing, (
        f"actions without a label (each package registers its labels in its labels.py): {missing}"
    )
    assert sorted(set(labels_all()) - actions) == [], "labels for actions nobody logs"


def test_every_label_is_translated_into_chinese():
    actions, _unreadable = logged_actions()
    untranslated = []
    for action in sorted(actions):
        with translation.override("en"):
            english = action_label(action)
        with translation.override("zh-hans"):
            chinese = action_label(action)
        if chinese == english or chinese.isascii():
            untranslated.append((action, english))
    assert not untranslated


@pytest.mark.django_db
def test_the_log_page_shows_the_labels_in_chinese(world, client_for):
    for action in ("summary.file", "export.case_list", "review.confirm", "notification.delivery.sent"):
        event_record(action=action, actor_name="test")
    html = client_for(world.users["auditor"]).get(reverse("event-list")).content.decode()
    for label in ("报送工作总结表", "下载案件清单", "确认评审结论", "消息已送达"):
        assert label in html, label

"""No code outside cases/services.py writes a case's state (design.md §7)."""

import ast
from pathlib import Path

import qingshen

ROOT = Path(qingshen.__file__).parent
# The case service; and a penalty's own state (proposed / ordered), which is not a case's.
ALLOWED = {ROOT / "cases" / "services.py", ROOT / "oversight" / "penalties.py"}


def _writes_state(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        # x.state = ... / x.state += ...
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "state":
                lines.append(node.lineno)
        # .update(state=...), .create(state=...), setattr(x, "state", ...)
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            writers = {"update", "create", "get_or_create", "update_or_create", "bulk_update"}
            if name in writers and any(k.arg == "state" for k in node.keywords):
                lines.append(node.lineno)
            if (
                name == "setattr"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value == "state"
            ):
                lines.append(node.lineno)
    return lines


def test_only_the_case_service_writes_state():
    offenders = []
    for path in ROOT.rglob("*.py"):
        if path in ALLOWED or "migrations" in path.parts:
            continue
        for line in _writes_state(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert offenders == []


def test_the_check_catches_a_write():
    assert _writes_state(ast.parse("case.state = 'accepted'"))
    assert _writes_state(ast.parse("AuditCase.objects.filter(pk=1).update(state='accepted')"))
    assert _writes_state(ast.parse("setattr(case, 'state', 'x')"))
    assert not _writes_state(ast.parse("programme.list_state = 'published'"))

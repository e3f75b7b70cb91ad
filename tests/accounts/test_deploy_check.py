"""The README's production environment blocks pass `manage.py check --deploy` with no warning.

Each ```sh block of the README that exports a production environment (it turns QINGSHEN_HTTPS on) is run
as it stands: the two key placeholders are filled with fresh keys, nothing is added but a scratch var
directory."""

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"```sh\n(.*?)```", re.S)
ASSIGNMENT = re.compile(r"([A-Z_][A-Z0-9_]*)=('[^']*'|\"[^\"]*\"|\S+)")
PLACEHOLDERS = {
    "<50+ random characters>": lambda: secrets.token_urlsafe(50),
    "<base64 of 32 bytes>": lambda: base64.b64encode(os.urandom(32)).decode(),
}


def readme_environments() -> list[dict[str, str]]:
    blocks = []
    for block in BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8")):
        env = {}
        for line in block.splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith("export "):
                for name, value in ASSIGNMENT.findall(line[len("export ") :]):
                    env[name] = value.strip("'\"")
        if env.get("QINGSHEN_HTTPS") == "1":
            blocks.append(env)
    return blocks


def test_the_readme_has_the_two_blocks():
    environments = readme_environments()
    assert len(environments) >= 2
    assert all("QINGSHEN_DATA_KEY" in env and "SECRET_KEY" in env for env in environments)


@pytest.mark.parametrize("index", range(len(readme_environments())))
def test_check_deploy_passes_with_the_readme_block(index, tmp_path):
    env = readme_environments()[index]
    for name, value in env.items():
        if value in PLACEHOLDERS:
            env[name] = PLACEHOLDERS[value]()
        assert not re.search(r"<[^>]*>|\.\.\.", env[name]), f"{name} has a placeholder the test cannot fill"
    run_env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "QINGSHEN_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**run_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

"""Settings read the environment through one helper and write nothing when imported."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qingshen.core import env


def test_helpers_read_the_environment_with_defaults(monkeypatch):
    monkeypatch.setenv("QS_T_INT", " 42 ")
    monkeypatch.setenv("QS_T_BOOL", "Yes")
    monkeypatch.setenv("QS_T_LIST", "a, b,,c ")
    monkeypatch.setenv("QS_T_EMPTY", "")
    assert env.env_int("QS_T_INT", 1) == 42
    assert env.env_int("QS_T_EMPTY", 7) == 7
    assert env.env_int("QS_T_MISSING", 7) == 7
    assert env.env_bool("QS_T_BOOL") is True
    assert env.env_bool("QS_T_MISSING", default=True) is True
    assert env.env_list("QS_T_LIST") == ["a", "b", "c"]
    assert env.env_list("QS_T_MISSING", "x,y") == ["x", "y"]
    with pytest.raises(ValueError):
        monkeypatch.setenv("QS_T_INT", "many")
        env.env_int("QS_T_INT", 1)


def _python(code: str, var: Path, **extra) -> subprocess.CompletedProcess:
    environment = {**os.environ, "QINGSHEN_VAR_DIR": str(var), **extra}
    environment.pop("SECRET_KEY", None)
    return subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )


def test_importing_the_settings_writes_nothing(tmp_path):
    var = tmp_path / "var"
    _python("import qingshen.settings", var)
    assert not var.exists()


def test_the_first_start_makes_var_and_one_secret_key(tmp_path):
    var = tmp_path / "var"
    code = "from qingshen.core.env import first_start; first_start(); import qingshen.settings as s; print(s.SECRET_KEY)"
    first = _python(code, var).stdout.strip()
    again = _python(code, var).stdout.strip()
    assert len(first) >= 50 and first == again
    assert (var / "static").is_dir()
    assert oct((var / "secret_key").stat().st_mode & 0o777) == "0o600"

"""`make run`'s processes (Procfile): the web server, the task worker and the sweep start together on a
fresh database, do their work, and one Ctrl-C (SIGINT to the terminal's process group) stops all three."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, seconds: float):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (a localhost URL)
            return response.status == 200
    except OSError:
        return False


def test_sweep_every_runs_until_interrupted(transactional_db, monkeypatch, capsys):
    """Each round closes its database connections (a long-lived loop must not hold one)."""
    rounds = []

    def sleep(seconds):
        rounds.append(seconds)
        if len(rounds) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", sleep)
    call_command("sweep", "--every", "7", "--skip-recompute")
    out, err = capsys.readouterr()
    assert rounds == [7, 7] and out.count("\nwarnings recorded") + out.startswith("warnings recorded") == 2
    assert "sweep failed" not in err


@pytest.mark.skipif(not (BIN / "honcho").exists(), reason="honcho comes with the demo extra (make run)")
@pytest.mark.skipif(
    "postgres" in os.environ.get("DATABASE_URL", ""),
    reason="the demo runs on its own SQLite file whatever the suite's database: the SQLite pass covers it",
)
def test_procfile_starts_web_worker_and_sweep_and_one_ctrl_c_stops_them(tmp_path):
    env = {
        **os.environ,
        "QINGSHEN_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "qingshen.settings",
        "QINGSHEN_MANIFEST_STATIC": "0",
        "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    port = _free_port()
    env.update(QINGSHEN_BIND=f"127.0.0.1:{port}", QINGSHEN_SWEEP_SECONDS="1")
    log = tmp_path / "honcho.log"
    with log.open("w") as out:
        honcho = subprocess.Popen(  # noqa: S603
            [str(BIN / "honcho"), "start"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal gives it
        )  # fmt: skip
    try:
        assert _wait(lambda: _answers(f"http://127.0.0.1:{port}/public/procedure/"), 90), log.read_text()
        assert _wait(lambda: log.read_text().count("warnings recorded") >= 2, 60), log.read_text()
        assert _wait(lambda: "Starting worker" in log.read_text(), 60), log.read_text()
        os.killpg(honcho.pid, signal.SIGINT)
        honcho.wait(timeout=30)
    finally:
        if honcho.poll() is None:
            os.killpg(honcho.pid, signal.SIGKILL)
    text = log.read_text()
    for name in ("web.1", "worker.1", "sweep.1"):
        assert f"{name} stopped" in text, text
    with pytest.raises(ProcessLookupError):  # nothing of the group is left running
        os.killpg(honcho.pid, 0)
    assert "Traceback" not in text, text

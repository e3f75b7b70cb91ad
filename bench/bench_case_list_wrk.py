"""The staff case list against Django admin's changelist of the same rows, filters, search and page
size (bench/case_list_admin.py), over HTTP with wrk: one gunicorn server (bench/wrk_settings.py) serves
both, the runs alternate ours / admin, and the ratio of requests per second is printed per pair.
PostgreSQL only (the server is another process and needs the bench's database); needs Debian's wrk.

    BENCH_CASES=50000 DATABASE_URL=postgres://... .venv/bin/python bench/run.py case_list_wrk
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

CASES = int(os.environ.get("BENCH_CASES", "50000"))
SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "8"))
ROUNDS = int(os.environ.get("BENCH_WRK_ROUNDS", "2"))
WORKERS = int(os.environ.get("BENCH_WRK_WORKERS", "2"))
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server(port):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.wrk_settings",
        "BENCH_WRK_DB_NAME": settings.DATABASES["default"]["NAME"],
        "PYTHONPATH": str(ROOT),
        # The sessions the bench signs must be read by the server: one key for both.
        "SECRET_KEY": settings.SECRET_KEY,
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    cmd = [gunicorn, "qingshen.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)]
    cmd += ["--no-control-socket", "--access-logfile", "/dev/null", "--log-level", "warning"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5):
                return proc
        except Exception:
            if proc.poll() is not None:
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer")


def _cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _status(url, cookie) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return response.status if response.url == url else 302


def _wrk(url, cookie) -> float:
    out = subprocess.run(  # noqa: S603
        [shutil.which("wrk"), "-t2", f"-c{WORKERS * 2}", f"-d{SECONDS}s", "-H", f"Cookie: {cookie}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"wrk saw errors on {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def run(report):
    if connection.vendor != "postgresql" or not shutil.which("wrk"):
        print("case_list_wrk: PostgreSQL and Debian's wrk only")
        return
    from urllib.parse import quote

    from bench.bench_case_list import _city
    from qingshen.accounts.models import Jurisdiction, User

    t = time.perf_counter()
    user = _city(CASES)
    report(f"case list (wrk): build city with {CASES} cases", time.perf_counter() - t, "s")
    with connection.cursor() as c:
        c.execute("ANALYZE")
    admin_user = User.objects.create(
        username="bench-admin", role="sysadmin", is_staff=True, is_superuser=True
    )
    ours, theirs = _cookie(user), _cookie(admin_user)
    district = Jurisdiction.objects.filter(level="district").order_by("pk").first()
    deep = max(1, CASES // settings.QINGSHEN_PAGE_SIZE // 2)
    pairs = [
        ("page 1", "", ""),
        (f"page {deep} (50 % deep)", f"page={deep}", f"p={deep}"),
        ("state filter", "state=listed", "state__exact=listed"),
        ("district filter", f"district={district.pk}", f"jurisdiction__id__exact={district.pk}"),
        ("search 化工12", "q=" + quote("化工12"), "q=" + quote("化工12")),
    ]
    port = _free_port()
    proc = _server(port)
    base = f"http://127.0.0.1:{port}"
    try:
        for label, our_query, admin_query in pairs:
            urls = {
                "ours": (f"{base}/cases/?{our_query}", ours),
                "admin": (f"{base}/bench-admin/cases/auditcase/?{admin_query}", theirs),
            }
            for name, (url, cookie) in urls.items():
                assert _status(url, cookie) == 200, (name, url)
            best = {name: 0.0 for name in urls}
            for _ in range(ROUNDS):
                for name, (url, cookie) in urls.items():
                    best[name] = max(best[name], _wrk(url, cookie))
            report(f"{label}: ours", best["ours"], "req/s")
            report(f"{label}: admin", best["admin"], "req/s")
            report(f"{label}: ours / admin (goal >= 2)", best["ours"] / best["admin"], "x")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)

"""Two app nodes, one PostgreSQL, one Redis, one S3 bucket: what one node stores or remembers, the
other serves. Each node is a gunicorn process with the production settings and its own var/ (nothing
on a node's disk is shared); one browser talks to both, as through a load balancer.

Runs on PostgreSQL with Redis at REDIS_URL's usual place (127.0.0.1:6379) and the SeaweedFS binary;
skipped otherwise (SQLite's file cannot be shared between machines)."""

import hashlib
import re
import secrets
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from qingshen.accounts.models import UserSession
from qingshen.cases.models import Document
from tests.factories import PASSWORD
from tests.multinode.browser import Browser
from tests.multinode.servers import REDIS_URL, AppNode, redis_up

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n% uploaded through node A\n"
pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture
def shared_services():
    """Skip before anything is built unless PostgreSQL and Redis are there."""
    if connection.vendor != "postgresql":
        pytest.skip("several nodes share a PostgreSQL database (run with DATABASE_URL=postgres://…)")
    if not redis_up():
        pytest.skip(f"no Redis at {REDIS_URL}")


@pytest.fixture
def cluster(shared_services, world, s3_server, s3_bucket):
    """Nodes A and B on free ports, both on the test database, Redis (under a key prefix of this test
    only) and the bucket; stopped, and their Redis keys removed, after the test."""
    # The nodes run the production hashers, not the tests' fast MD5 one: passwords in a hash they read.
    hasher = PBKDF2PasswordHasher()
    for user in world.users.values():
        user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
        user.save(update_fields=["password"])
    prefix = f"qs-test-{secrets.token_hex(4)}"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "qingshen.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": REDIS_URL,
        "QINGSHEN_CACHE_PREFIX": prefix,
        "SECRET_KEY": settings.SECRET_KEY,
        "QINGSHEN_DATA_KEY": settings.QINGSHEN_DATA_KEY,
        "QINGSHEN_LOG_KEY": settings.QINGSHEN_LOG_KEY,
        "QINGSHEN_MANIFEST_STATIC": "0",  # no collectstatic for a test
        "ALLOWED_HOSTS": "127.0.0.1",
        **s3_server.env(s3_bucket, prefix="qingshen"),
    }
    work = Path(tempfile.mkdtemp(prefix="qingshen-nodes-"))
    nodes = [AppNode("a", env, work), AppNode("b", env, work)]
    try:
        for node in nodes:
            node.start()
        for node in nodes:
            node.wait_ready()
        cache = RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
        yield nodes[0], nodes[1], cache, work
    finally:
        for node in nodes:
            node.stop()
        shutil.rmtree(work, ignore_errors=True)
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)


def _local_files(work: Path) -> list[Path]:
    return [p for p in work.rglob("*") if p.is_file() and "media" in p.relative_to(work).parts]


def test_upload_on_one_node_download_on_the_other_with_shared_session_and_cache(
    world, cluster, s3_server, s3_bucket
):
    a, b, cache, work = cluster
    browser = Browser()
    enterprise = world.users["enterprise"]
    case = world.case_north

    # Signed in on A, the session works on B: it lives in Redis (and its row in the database).
    status, headers, _ = browser.login(a.url, enterprise.username, PASSWORD)
    assert status == 302, a.log_tail()
    session_key = browser.cookie("sessionid")
    assert cache.get(f"django.contrib.sessions.cached_db{session_key}") is not None
    status, _, body = browser.get(f"{b.url}/cases/{case.pk}/documents/")
    assert status == 200, b.log_tail()

    # Uploaded through A: stored in the bucket under its digest, no node keeps a copy.
    status, headers, body = browser.post(
        f"{a.url}/cases/{case.pk}/documents/", {"kind": "other"}, files={"file": ("record.pdf", PDF)}
    )
    assert status == 302, body.decode(errors="replace")[-2000:] + a.log_tail()
    doc = Document.objects.get(case=case, kind="other")
    assert (doc.sha256, doc.size) == (hashlib.sha256(PDF).hexdigest(), len(PDF))
    assert s3_server.keys(s3_bucket) == {f"qingshen/{doc.file.name}"}
    assert _local_files(work) == []

    # Downloaded through B: the same bytes, streamed from the bucket through the authorising view.
    url = f"/cases/{case.pk}/documents/{doc.pk}/"
    status, headers, body = browser.get(f"{b.url}{url}")
    assert status == 200, b.log_tail()
    assert body == PDF and hashlib.sha256(body).hexdigest() == doc.sha256
    assert "attachment" in headers["Content-Disposition"]
    # Scoped as on one machine: another enterprise's user is not found on either node.
    other = Browser()
    assert other.login(b.url, world.users["enterprise_south"].username, PASSWORD)[0] == 302
    assert other.get(f"{a.url}{url}")[0] == 404
    assert other.get(f"{b.url}{url}")[0] == 404

    # The same user, signed in a second time on B, ends the first session there: A forgets it too.
    second = Browser()
    assert second.login(b.url, enterprise.username, PASSWORD)[0] == 302
    first = UserSession.objects.get(session_key=session_key)
    status, _, _ = second.post(f"{b.url}/account/sessions/{first.pk}/end/", {})
    assert status == 302, b.log_tail()
    assert cache.get(f"django.contrib.sessions.cached_db{session_key}") is None
    assert browser.get(f"{a.url}/cases/{case.pk}/documents/")[0] == 302  # to the login page
    assert second.get(f"{a.url}/cases/{case.pk}/documents/")[0] == 200


def test_the_second_factor_and_the_dashboard_cache_are_shared(world, cluster):
    a, b, cache, _work = cluster
    city = world.users["city"]
    device = TOTPDevice.objects.create(user=city, name="phone", confirmed=True)
    browser = Browser()

    # The password on A, the code on B: the pending login is in the shared session.
    status, headers, _ = browser.login(a.url, city.username, PASSWORD)
    assert status == 302 and headers["Location"].endswith("/login/otp/"), a.log_tail()
    code = str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )
    status, headers, _ = browser.post(f"{b.url}/login/otp/", {"token": code})
    assert status == 302 and not headers["Location"].endswith("/login/"), b.log_tail()

    # The dashboard computed on A is in Redis, and B serves that very entry: marked, it shows on B.
    status, _, _ = browser.get(f"{a.url}/dashboard/")
    assert status == 200, a.log_tail()
    import redis

    prefix = cache.key_prefix
    keys = [k.decode() for k in redis.Redis.from_url(REDIS_URL).scan_iter(f"{prefix}:1:qingshen:dashboard:*")]
    assert len(keys) == 1
    key = keys[0].removeprefix(f"{prefix}:1:")
    board = cache.get(key)
    marker = f"共享缓存{secrets.token_hex(3)}"
    board.charts[0].title = marker
    cache.set(key, board, 60)
    status, _, body = browser.get(f"{b.url}/dashboard/")
    assert status == 200, b.log_tail()
    assert marker in body.decode()
    assert re.search(r"<h2[^>]*>\s*" + marker, body.decode())

"""The operation log at size (issue 18, goals 1 and 3): verification and the auditor's log page.

Builds N chained events (bulk, with a sealed checkpoint every QINGSHEN_LOG_CHECKPOINT_EVERY rows and
the exported checkpoint file), then times side by side:
- a raw cursor walk: the verifier's query through the same chunked (server-side on PostgreSQL) cursor,
  no conversion, nothing done per row: the floor;
- the verifier's own reading (its SQL, streamed on PostgreSQL), nothing done per row;
- SM3 alone over every row's canonical bytes (built beforehand, not timed);
- `verify_log --full` (chain, triggers, checkpoints, file) with the default processes, 1 and 2, and
  the chain walk alone;
- the earlier verifier (model instances, json.dumps, OpenSSL probed per row), unless BENCH_LOG_OLD=0;
- incremental `verify_log` after 1,000 new events (appended through event_record);
- the log page: the newest page and a page 90 % deep (keyset), with the OFFSET page the earlier view
  ran at the same depth (COUNT + OFFSET, the ORM queries of Django's Paginator).

    BENCH_LOG_EVENTS=200000 DATABASE_URL=postgres://... .venv/bin/python bench/run.py log
"""

import datetime
import json
import os
import statistics
import time

from django.db import connection

EVENTS = int(os.environ.get("BENCH_LOG_EVENTS", "50000"))
OLD = os.environ.get("BENCH_LOG_OLD", "1") != "0"
ROUNDS = int(os.environ.get("BENCH_LOG_ROUNDS", "3"))
CHUNK = 5000


def _build(n):
    from django.conf import settings
    from django.utils import timezone

    from qingshen.accounts.models import User
    from qingshen.trail import chain, checkpoints
    from qingshen.trail.models import ChainHead, Checkpoint, Event

    user = User.objects.create(username="bench", role="city")
    every = settings.QINGSHEN_LOG_CHECKPOINT_EVERY
    start = timezone.now() - datetime.timedelta(seconds=2 * n + 3600)
    prev, prev_mac, lines = chain.GENESIS, "", []
    for first in range(1, n + 1, CHUNK):
        batch, seals = [], []
        for seq in range(first, min(first + CHUNK, n + 1)):
            event = Event(
                seq=seq,
                at=start + datetime.timedelta(seconds=2 * seq, microseconds=seq % 997),
                actor=user if seq % 3 else None,
                actor_name="bench" if seq % 3 else "",
                client_ip=f"10.0.{seq % 250}.{seq % 200}" if seq % 5 else None,
                action=("case.transition.disclose", "document.upload", "user.login")[seq % 3],
                object_type="cases.auditcase",
                object_id=str(seq % 5000),
                object_repr=f"重庆市某化工有限公司{seq % 5000}（2026年度）",
                before={"state": "listed", "due_on": "2026-04-01"} if seq % 2 else None,
                after={"state": "disclosed", "phone": "138****5678", "n": seq} if seq % 2 else {"ok": True},
                note="官网已公开" if seq % 7 == 0 else "",
                prev_digest=prev,
            )
            event.digest = prev = chain.digest_of(event)
            batch.append(event)
            if seq % every == 0:
                cp = Checkpoint(seq=seq, digest=prev, at=timezone.now(), reason="interval", prev_mac=prev_mac)
                cp.mac = prev_mac = checkpoints.seal(checkpoints.record_of(cp))
                seals.append(cp)
                lines.append(checkpoints.line_of(cp))
        Event.objects.bulk_create(batch)
        Checkpoint.objects.bulk_create(seals)
    ChainHead.objects.update_or_create(pk=1, defaults={"seq": n, "digest": prev})
    path = checkpoints.export_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _raw_walk(own=False):
    """The ORM's SQL for the walked columns, or (`own`) the verifier's, whose time column the
    database already writes as text (chain_read._AtText): no datetime built by the driver."""
    from django.db.models import F

    from qingshen.trail import chain, chain_read
    from qingshen.trail.models import Event

    fields = [chain_read._AtText(F(n)) if own and n == "at" else n for n in chain._WALKED]
    sql, params = Event.objects.order_by("seq").values_list(*fields).query.sql_with_params()
    count = 0
    t = time.perf_counter()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            count += len(rows)
    return time.perf_counter() - t, count


def _reading_walk():
    """The verifier's own reading (chain_read: its SQL, streamed on PostgreSQL), nothing done per row."""
    from qingshen.trail import chain_read
    from qingshen.trail.models import Event

    count = 0
    t = time.perf_counter()
    for batch in chain_read._batches(Event.objects.filter(seq__isnull=False).order_by("seq"), CHUNK):
        count += len(batch)
    return time.perf_counter() - t, count


def _sm3_alone():
    from qingshen.trail import chain
    from qingshen.trail.models import Event

    hex_of, spent = chain.sm3_hex_function(), 0.0
    rows = Event.objects.order_by("seq").values_list(*chain._WALKED).iterator(chunk_size=CHUNK)
    payloads = []
    for row in rows:
        payloads.append(chain.canonical_values(*row[:13]) + row[13].encode())
        if len(payloads) == CHUNK:
            t = time.perf_counter()
            for data in payloads:
                hex_of(data)
            spent += time.perf_counter() - t
            payloads = []
    t = time.perf_counter()
    for data in payloads:
        hex_of(data)
    return spent + time.perf_counter() - t


def _old_verify():
    """The verifier as it was: a model instance per row, json.dumps of a dict, sm3_hex probing OpenSSL."""
    from qingshen.core.files.digests import sm3_hex
    from qingshen.trail.models import Event

    t = time.perf_counter()
    for e in Event.objects.order_by("seq").iterator(chunk_size=2000):
        content = {
            "seq": e.seq,
            "at": e.at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "actor_id": e.actor_id,
            "actor_name": e.actor_name,
            "client_ip": e.client_ip,
            "action": e.action,
            "result": e.result,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "object_repr": e.object_repr,
            "before": e.before,
            "after": e.after,
            "note": e.note,
        }
        data = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        assert sm3_hex(data + e.prev_digest.encode()) == e.digest
    return time.perf_counter() - t


def _verify_log(*args):
    import io

    from django.core.management import call_command

    t = time.perf_counter()
    call_command("verify_log", *args, stdout=io.StringIO())
    return time.perf_counter() - t


def _page_times(client, url, repeat=7):
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        assert client.get(url).status_code == 200
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples), len(queries)


def _offset_page(number, size):
    """What the earlier view ran for page `number`: Paginator's COUNT, then an OFFSET slice."""
    from django.core.paginator import Paginator

    from qingshen.trail.models import Event

    samples = []
    for _ in range(3):
        t = time.perf_counter()
        list(Paginator(Event.objects.select_related("actor").order_by("-at", "-id"), size).page(number))
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def run(report):
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from qingshen.accounts.models import User
    from qingshen.trail import chain
    from qingshen.trail.models import Event
    from qingshen.trail.services import event_record

    t = time.perf_counter()
    _build(EVENTS)
    report(f"log: build {EVENTS} chained events (bulk)", time.perf_counter() - t, "s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE trail_event")

    raw, count = _raw_walk()
    assert count == EVENTS
    # Interleaved rounds, the best of each: the machine's load falls on all alike.
    own, reading, walk = float("inf"), float("inf"), float("inf")
    full, full_one, full_two = float("inf"), float("inf"), float("inf")
    for _ in range(ROUNDS):
        raw = min(raw, _raw_walk()[0])
        own = min(own, _raw_walk(own=True)[0])
        reading = min(reading, _reading_walk()[0])
        t = time.perf_counter()
        assert chain.verify().ok
        walk = min(walk, time.perf_counter() - t)
        full = min(full, _verify_log("--full"))
        full_one = min(full_one, _verify_log("--full", "--processes", "1"))
        full_two = min(full_two, _verify_log("--full", "--processes", "2"))
    sm3 = _sm3_alone()
    report("log: raw cursor walk (the ORM's SQL)", raw * 1000, "ms")
    report("log: raw cursor walk (the verifier's SQL, time as text)", own * 1000, "ms")
    report("log: raw walk, the verifier's reading (its SQL, streamed on PostgreSQL)", reading * 1000, "ms")
    report("log: SM3 alone over every row", sm3 * 1000, "ms")
    report("log: chain walk (chain.verify)", walk * 1000, "ms")
    report(f"log: verify_log --full ({settings.QINGSHEN_LOG_VERIFY_PROCESSES} processes)", full * 1000, "ms")
    report("log: verify_log --full --processes 1", full_one * 1000, "ms")
    report("log: verify_log --full --processes 2", full_two * 1000, "ms")
    report("log: verify_log --full / raw cursor walk (goal <= 1.3)", full / raw, "ratio")
    report("log: verify_log --full --processes 1 / raw cursor walk", full_one / raw, "ratio")
    report("log: verify_log --full, 2 processes / 1 process", full_two / full_one, "ratio")
    report("log: chain walk / raw cursor walk", walk / raw, "ratio")
    report("log: chain walk / raw walk of the verifier's own SQL", walk / own, "ratio")
    report("log: chain walk / raw walk of the verifier's reading", walk / reading, "ratio")
    report("log: verify_log --full / SM3 alone", full / sm3, "ratio")
    if OLD:
        old = _old_verify()
        report("log: the earlier verifier (model instances, json.dumps)", old * 1000, "ms")
        report("log: earlier verifier / chain walk", old / walk, "ratio")

    for i in range(1000):
        event_record(action="bench.after", note=str(i), after={"i": i})
    incremental = _verify_log()
    report("log: verify_log (incremental) after 1,000 new events", incremental * 1000, "ms")
    report("log: verify_log --full / incremental", full / incremental, "ratio")

    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # Keep the connection across requests (as a test case does), so that the queries can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    auditor = User.objects.create(username="bench-auditor", role="auditor")
    client = Client()
    client.force_login(auditor)
    size = settings.QINGSHEN_ADMIN_PAGE_SIZE
    depth = int(Event.objects.count() * 0.9)
    deep = Event.objects.order_by("-at", "-id").values_list("id", flat=True)[depth]
    url = reverse("event-list")
    first_ms, first_q = _page_times(client, url)
    deep_ms, deep_q = _page_times(client, f"{url}?before={deep}")
    oldest_ms, _ = _page_times(client, f"{url}?oldest=1")
    filtered_ms, filtered_q = _page_times(client, f"{url}?action=document.&before={deep}")
    report("log page: newest page", first_ms, "ms")
    report(f"log page: 90 % deep (row {depth}, keyset)", deep_ms, "ms")
    report("log page: oldest page", oldest_ms, "ms")
    report("log page: 90 % deep, filtered by action", filtered_ms, "ms")
    report("log page: deep / newest", deep_ms / first_ms, "ratio")
    report("log page: queries, newest page", first_q, "queries")
    report("log page: queries, 90 % deep", deep_q, "queries")
    report("log page: queries, 90 % deep filtered", filtered_q, "queries")
    offset_first, offset_deep = _offset_page(1, size), _offset_page(depth // size + 1, size)
    report("log page, earlier OFFSET way: page 1 (COUNT + slice)", offset_first, "ms")
    report(f"log page, earlier OFFSET way: page {depth // size + 1}", offset_deep, "ms")

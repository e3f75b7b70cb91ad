"""The hash-chained log: append rate (one locked head row) sequential, inside one transaction (no
commit per row: what the chain and its checkpoints cost themselves) and with concurrent writers, and
verification speed. Run it on main and on a branch to compare appends/s."""

import os
import threading
import time

from django.db import connection, connections

EVENTS = int(os.environ.get("BENCH_EVENTS", "20000"))


def run(report):
    from qingshen.trail import chain
    from qingshen.trail.services import event_record

    n = 2000
    t = time.perf_counter()
    for i in range(n):
        event_record(action="bench.append", note=str(i), after={"i": i, "phone": "13812345678"})
    report("log: sequential appends (autocommit)", n / (time.perf_counter() - t), "events/s")

    from django.db import transaction

    t = time.perf_counter()
    with transaction.atomic():
        for i in range(n):
            event_record(action="bench.batch", note=str(i), after={"i": i})
    report("log: appends inside one transaction", n / (time.perf_counter() - t), "events/s")

    # What the keyed checkpoints cost the appends: batches with none (the interval out of reach, which
    # is the code path of the unkeyed chain: the triggers do not fire on INSERT) and with the default
    # interval, alternated in one process so that the machine's load falls on both alike.
    from django.conf import settings
    from django.test import override_settings

    every = settings.QINGSHEN_LOG_CHECKPOINT_EVERY
    spent = {10**12: 0.0, every: 0.0, 1: 0.0}
    batch, rounds = 100, 10
    for r in range(rounds):
        for interval in spent if r % 2 else reversed(spent):
            with override_settings(QINGSHEN_LOG_CHECKPOINT_EVERY=interval), transaction.atomic():
                t = time.perf_counter()
                for i in range(batch):
                    event_record(action="bench.sealed", note=str(i), after={"i": i})
                spent[interval] += time.perf_counter() - t
    rate = {interval: batch * rounds / seconds for interval, seconds in spent.items()}
    report("log: appends, no checkpoints (interleaved)", rate[10**12], "events/s")
    report(f"log: appends, a checkpoint every {every} (interleaved)", rate[every], "events/s")
    report("log: appends, a checkpoint at every row (interleaved)", rate[1], "events/s")
    report(f"log: append rate with checkpoints every {every} / without", rate[every] / rate[10**12], "ratio")

    if connection.vendor == "postgresql":
        writers, each = 8, 250
        barrier = threading.Barrier(writers)

        def write():
            try:
                barrier.wait()
                for i in range(each):
                    event_record(action="bench.race", note=str(i))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=write) for _ in range(writers)]
        t = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        report(
            f"log: appends by {writers} concurrent writers",
            writers * each / (time.perf_counter() - t),
            "events/s",
        )

    while chain.verify().checked < EVENTS:  # fill up to EVENTS rows for the verification figure
        for i in range(2000):
            event_record(action="bench.fill", note=str(i))
    t = time.perf_counter()
    verdict = chain.verify()
    elapsed = time.perf_counter() - t
    assert verdict.ok
    report(f"log: verify {verdict.checked} rows", elapsed * 1000, "ms")
    report("log: verification rate", verdict.checked / elapsed, "rows/s")

"""The hash-chained log: append rate (one locked head row) sequential and with concurrent writers,
and verification speed. Figures for issue 8."""

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

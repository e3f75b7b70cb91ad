"""The spot-check sample as a pure function of its record, so anyone with the record can recompute it
(the same approach as the panel draw, qingshen/reviews/draw.py)."""

import hashlib
import json
import math
import random

ALGORITHM = "qingshen-spotcheck-v1"


def record_digest(record: dict) -> str:
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def allocation(record: dict) -> dict[str, int]:
    """How many cases each district gives. Percent: ceil(size × pct / 100) per district. Count: the
    number shared in proportion to district sizes by largest remainder (ties: district id)."""
    strata = record["strata"]
    sizes = {d: len(ids) for d, ids in strata.items()}
    if record["mode"] == "percent":
        return {d: min(n, math.ceil(n * record["amount"] / 100)) for d, n in sizes.items()}
    total = sum(sizes.values())
    want = min(record["amount"], total)
    if total == 0:
        return dict.fromkeys(sizes, 0)
    exact = {d: want * n / total for d, n in sizes.items()}
    alloc = {d: math.floor(x) for d, x in exact.items()}
    rest = want - sum(alloc.values())
    for d in sorted(exact, key=lambda d: (-(exact[d] - alloc[d]), int(d)))[:rest]:
        alloc[d] += 1
    return alloc


def sample(record: dict) -> list[int]:
    """v1: per district (by id), random.Random(f"{seed}:{district}").sample of its sorted case ids."""
    if record.get("algorithm") != ALGORITHM:
        raise ValueError(f"unknown spot-check algorithm {record.get('algorithm')!r}")
    alloc = allocation(record)
    chosen: list[int] = []
    for district in sorted(record["strata"], key=int):
        ids = sorted(record["strata"][district])
        chosen += sorted(random.Random(f"{record['seed']}:{district}").sample(ids, alloc[district]))
    return chosen

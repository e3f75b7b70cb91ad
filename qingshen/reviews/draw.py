"""The panel draw as a pure function of its record, so anyone with the record can recompute it.

The record holds the seed, the candidates (eligible after exclusions, with the date each was last
drawn), the exclusions with their reasons and the rules in force. ``draw_order`` turns it into the full
order of candidates: the first `size` take the seats, redraws take the next ones in turn.
"""

import hashlib
import json
import random

ALGORITHM = "qingshen-draw-v1"


def record_digest(record: dict) -> str:
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def draw_order(record: dict) -> list[int]:
    """v1: shuffle the candidates (sorted by id) with random.Random(seed), then a stable sort that puts
    the least recently drawn first: the shuffle decides only among experts last drawn on the same day
    (or never drawn), which spreads the workload."""
    if record.get("algorithm") != ALGORITHM:
        raise ValueError(f"unknown draw algorithm {record.get('algorithm')!r}")
    candidates = sorted(record["candidates"], key=lambda c: c["expert"])
    ids = [c["expert"] for c in candidates]
    random.Random(record["seed"]).shuffle(ids)
    last = {c["expert"]: c.get("last_drawn_on") or "" for c in candidates}
    ids.sort(key=lambda i: last[i])
    return ids

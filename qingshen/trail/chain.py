"""The hash chain of the operation log (GB/T 22239 audit records protected against tampering).

Each event stores SM3(canonical content ‖ previous digest). Links are made under the lock of the
single ChainHead row, so concurrent writers cannot fork the chain. The chain's order is the link order:
inline, the order the writers took the lock; at commit (linking.py), the order the rows were linked in,
which is their commit order up to the id order within one linker's batch. Either is a total order.
Verification walks the linked rows in sequence order and reports the first link that does not hold;
rows waiting to be linked (seq NULL) are not part of the chain yet.

The walk reads plain tuples (no model instances) and builds the canonical bytes field by field: the
same bytes as `json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))` of the
dict below, which every existing digest was computed from (tests/trail/test_chain_compat.py holds
digests written by the earlier code).
"""

import dataclasses
import datetime
import hashlib
import itertools
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from qingshen.core.files.digests import PureSM3, openssl_has_sm3, sm3_hex

GENESIS = "0" * 64
__all__ = ["GENESIS", "canonical", "digest_of", "sm3_hex", "verify"]

# The hashed columns, in the order canonical_values takes them; the walk reads these and the links.
HASHED = (
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "client_ip",
    "action",
    "result",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "note",
)
_WALKED = (*HASHED, "prev_digest", "digest", "id")
_CHUNK = 5000
_UTC = datetime.UTC
_str = json.encoder.encode_basestring  # the C encoder json.dumps(ensure_ascii=False) uses for str
_json = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def _value(value) -> str:
    """One value as json.dumps writes it (with the options above), the common types without its overhead."""
    if value is None:
        return "null"
    kind = type(value)
    if kind is str:
        return _str(value)
    if kind is int:
        return int.__repr__(value)
    return _json(value)


def at_text(at: datetime.datetime) -> str:
    # The canonical form is UTC by design (not a local time shown to anyone).
    utc = at if at.tzinfo is _UTC else at.astimezone(_UTC)
    if utc.year < 1000:  # strftime does not pad the year; isoformat does
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def canonical_values(
    seq,
    at,
    actor_id,
    actor_name,
    client_ip,
    action,
    result,
    object_type,
    object_id,
    object_repr,
    before,
    after,
    note,
) -> bytes:
    """The hashed content: every column a reader relies on, in a fixed, database-neutral form (the
    keys in sorted order, as json.dumps(sort_keys=True) writes them)."""
    v = _value
    return _canonical_text(
        v(seq), at_text(at), v(actor_id), v(actor_name), v(client_ip), v(action), v(result), v(object_type),
        v(object_id), v(object_repr), v(before), v(after), v(note),
    )  # fmt: skip


def _canonical_text(
    seq,
    at,
    actor_id,
    actor_name,
    client_ip,
    action,
    result,
    object_type,
    object_id,
    object_repr,
    before,
    after,
    note,
) -> bytes:
    """The same from each value already in its JSON form (`at` as at_text wrote it, without quotes)."""
    return (
        f'{{"action":{action},"actor_id":{actor_id},"actor_name":{actor_name},"after":{after},'
        f'"at":"{at}","before":{before},"client_ip":{client_ip},"note":{note},'
        f'"object_id":{object_id},"object_repr":{object_repr},"object_type":{object_type},'
        f'"result":{result},"seq":{seq}}}'
    ).encode()


def canonical(event) -> bytes:
    return canonical_values(*(getattr(event, name) for name in HASHED))


def digest_of(event) -> str:
    return sm3_hex(canonical(event) + event.prev_digest.encode())


def sm3_hasher_function():
    """A callable giving a fresh SM3 hasher (update, hexdigest), OpenSSL's support probed once (not
    per row): copying a ready hasher is also cheaper than hashlib.new looking the algorithm up each
    time."""
    if not openssl_has_sm3():
        return PureSM3
    return hashlib.new("sm3").copy


def sm3_hex_function():
    """SM3 to hex, the hasher as sm3_hasher_function gives it."""
    new = sm3_hasher_function()

    def hex_of(data: bytes) -> str:
        hasher = new()
        hasher.update(data)
        return hasher.hexdigest()

    return hex_of


@dataclass
class Verdict:
    ok: bool
    checked: int
    first_seq: int | None = None
    last_seq: int | None = None
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""


def _refusal(seq, prev, pk, expected_seq, expected_prev, checked, first) -> Verdict | None:
    """The verdict on a row that is not the one expected next, or None."""
    if seq != expected_seq:
        if seq > expected_seq:
            reason = _("Row %(n)s is missing (deleted).") % {"n": expected_seq}
        else:
            reason = _("Row %(n)s is out of order.") % {"n": seq}
        return Verdict(False, checked, first, seq, seq, pk, reason)
    if prev != expected_prev:
        reason = _("Row %(n)s does not follow the previous row (inserted or reordered).") % {"n": seq}
        return Verdict(False, checked, first, seq, seq, pk, reason)
    return None


def _checked(links, hex_of, expected_seq, expected_prev, checked=0, first=None):
    """Check the rows in order: (the first broken link's verdict or None, rows checked, the first
    row's seq, the seq and previous digest expected next)."""
    for seq, prev, digest, pk, data in links:
        if first is None:
            first = seq
        if refused := _refusal(seq, prev, pk, expected_seq, expected_prev, checked, first):
            return refused, checked, first, expected_seq, expected_prev
        if hex_of(data) != digest:
            reason = _("Row %(n)s was changed after it was written.") % {"n": seq}
            changed = Verdict(False, checked, first, seq, seq, pk, reason)
            return changed, checked, first, expected_seq, expected_prev
        checked += 1
        expected_seq, expected_prev = seq + 1, digest
    return None, checked, first, expected_seq, expected_prev


def _walked(qs):
    # Rows waiting for their place in the chain have no seq yet: not part of it.
    return qs.filter(seq__isnull=False).order_by("seq")


def _walk_checked(qs, expected_seq, expected_prev):
    """_checked's result for the rows of qs (with the first row's (seq, previous digest, id) first);
    `expected_seq` None takes the first row as given."""
    from qingshen.trail import chain_read

    walked = chain_read.checked(_walked(qs), expected_seq, expected_prev)
    if walked is not None:
        return walked
    # Another database: through the ORM's values.
    rows = _walked(qs).values_list(*_WALKED).iterator(chunk_size=_CHUNK)
    links = iter((r[0], r[13], r[14], r[15], canonical_values(*r[:13]) + r[13].encode()) for r in rows)
    head = next(links, None)
    if head is None:
        return None, (None, 0, None, expected_seq, expected_prev)
    seq, prev, _digest, pk, _data = head
    if expected_seq is None:
        expected_seq, expected_prev = seq, prev
    links = itertools.chain([head], links)
    return (seq, prev, pk), _checked(links, sm3_hex_function(), expected_seq, expected_prev)


def part_checked(qs):
    """One part of a walk in several processes (chain_parallel): its first row (seq, previous digest,
    id), taken as given, and _checked's result from there; the caller matches the parts' ends."""
    head, result = _walk_checked(qs, None, None)
    return (head, result) if head is not None else (None, None)


def _stitched(parts, expected_seq, expected_prev):
    """_checked's result for the parts in order, as one walk over all their rows would have given."""
    checked, first = 0, None
    for head, result in parts:
        if head is None:
            continue
        seq, prev, pk = head
        first = seq if first is None else first
        if refused := _refusal(seq, prev, pk, expected_seq, expected_prev, checked, first):
            return refused, checked, first, expected_seq, expected_prev
        failure, part_rows, _first, expected_seq, expected_prev = result
        if failure is not None:
            failure = dataclasses.replace(failure, checked=checked + failure.checked, first_seq=first)
            return failure, checked + part_rows, first, expected_seq, expected_prev
        checked += part_rows
    return None, checked, first, expected_seq, expected_prev


def verify(queryset=None, *, head=None, start: tuple[int, str] | None = None, processes: int = 1) -> Verdict:
    """Walk the chain from its anchor, or from `start` (the sequence number and the expected previous
    digest of the first row to check: an incremental run); stop at the first broken link. With
    `processes` > 1 a long walk on PostgreSQL is cut into that many parts checked side by side
    (chain_parallel); the verdict is the same."""
    from qingshen.trail import chain_parallel
    from qingshen.trail.models import ChainHead, Event

    head = head or ChainHead.objects.filter(pk=1).first() or ChainHead(pk=1)
    qs = queryset if queryset is not None else Event.objects.filter(seq__isnull=False)
    if start is None:
        expected_seq, expected_prev = head.anchor_seq, head.anchor_prev_digest or GENESIS
    else:
        expected_seq, expected_prev = start
        qs = qs.filter(seq__gte=expected_seq)
    parts = chain_parallel.parts_checked(qs, expected_seq, head.seq, processes)
    if parts is not None:
        result = _stitched(parts, expected_seq, expected_prev)
    else:
        _head, result = _walk_checked(qs, expected_seq, expected_prev)
    failure, checked, first, expected_seq, expected_prev = result
    if failure is not None:
        return failure
    last = expected_seq - 1
    if head.seq and head.seq != last:
        reason = _("Rows after %(n)s are missing (deleted).") % {"n": last}
        return Verdict(False, checked, first, last, last + 1, None, reason)
    if head.seq and head.digest != expected_prev:
        reason = _("The last row differs from the recorded head of the chain.")
        return Verdict(False, checked, first, last, last, None, reason)
    return Verdict(True, checked, first, last)

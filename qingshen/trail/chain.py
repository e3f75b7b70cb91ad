"""The hash chain of the operation log (GB/T 22239 audit records protected against tampering).

Each event stores SM3(canonical content ‖ previous digest). Appends are serialised by locking the
single ChainHead row, so concurrent writers cannot fork the chain. Verification walks the rows in
sequence order and reports the first link that does not hold.
"""

import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from qingshen.core.files.digests import sm3_hex

GENESIS = "0" * 64
__all__ = ["GENESIS", "canonical", "digest_of", "sm3_hex", "verify"]


def canonical(event) -> bytes:
    """The hashed content: every column a reader relies on, in a fixed, database-neutral form."""
    import datetime

    at = event.at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    content = {
        "seq": event.seq,
        "at": at,
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "client_ip": event.client_ip,
        "action": event.action,
        "result": event.result,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "note": event.note,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest_of(event) -> str:
    return sm3_hex(canonical(event) + event.prev_digest.encode())


@dataclass
class Verdict:
    ok: bool
    checked: int
    first_seq: int | None = None
    last_seq: int | None = None
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""


def verify(queryset=None, *, head=None) -> Verdict:
    """Walk the chain from its anchor; stop at the first broken link."""
    from qingshen.trail.models import ChainHead, Event

    head = head or ChainHead.objects.filter(pk=1).first() or ChainHead(pk=1)
    qs = queryset if queryset is not None else Event.objects.all()
    expected_seq, expected_prev = head.anchor_seq, head.anchor_prev_digest or GENESIS
    checked, first = 0, None
    for event in qs.order_by("seq").iterator(chunk_size=2000):
        first = event.seq if first is None else first
        if event.seq != expected_seq:
            if event.seq > expected_seq:
                reason = _("Row %(n)s is missing (deleted).") % {"n": expected_seq}
            else:
                reason = _("Row %(n)s is out of order.") % {"n": event.seq}
            return Verdict(False, checked, first, event.seq, event.seq, event.pk, reason)
        if event.prev_digest != expected_prev:
            reason = _("Row %(n)s does not follow the previous row (inserted or reordered).") % {
                "n": event.seq
            }
            return Verdict(False, checked, first, event.seq, event.seq, event.pk, reason)
        if digest_of(event) != event.digest:
            reason = _("Row %(n)s was changed after it was written.") % {"n": event.seq}
            return Verdict(False, checked, first, event.seq, event.seq, event.pk, reason)
        checked += 1
        expected_seq, expected_prev = event.seq + 1, event.digest
    last = expected_seq - 1
    if head.seq and head.seq != last:
        reason = _("Rows after %(n)s are missing (deleted).") % {"n": last}
        return Verdict(False, checked, first, last, last + 1, None, reason)
    if head.seq and head.digest != expected_prev:
        reason = _("The last row differs from the recorded head of the chain.")
        return Verdict(False, checked, first, last, last, None, reason)
    return Verdict(True, checked, first, last)

"""Every URL pattern with an object id, for every role: ids outside the user's scope are not found.

The patterns come from the resolver, so a new page is swept as soon as it exists (and fails here until
rich_world knows what its ids name). Each role of world A (and a visitor) asks for world B's objects,
and for A's parent object with B's child (the classic "own case, foreign document"): the answer is
404, 403, 405, 400, 401 (the API) or a redirect, never a 200 with B's data, never a 500, and nothing is recorded
against B's objects. B shares with A only what is one register by design: agencies and the expert pool
(every authority user), and the accounts the security administrator manages.

Bounded: a view that answers GET is asked by GET, a POST-only view (405 to GET) by POST. When this was
written a full GET+POST sweep (1,980 requests) found no view whose POST answered otherwise than its GET.
"""

import pytest

from qingshen.accounts.roles import AUTHORITY_ROLES
from qingshen.trail.models import Event
from tests.web import rich_world

PATTERNS = [p for p in rich_world.url_patterns() if p.ids]
REQUESTERS = [*rich_world.ROLES, "anonymous"]
# Registers every authority user shares (scoping.agencies_visible, experts_visible, users_grantable).
SHARED = {
    "agency": set(AUTHORITY_ROLES),
    "expert": {"city", "district", "province", "supervisor"},  # districts read it (issue 15)
    "user": {"security"},
}
REFUSED = {302, 400, 401, 403, 404, 405}  # 401: the API asks the anonymous for credentials


def _combos(pattern, a, b):
    """(URL values, foreign objects): all of B's; with two ids, also A's parent with B's child."""
    ids = pattern.ids
    base = {k: v for k, v in rich_world.TEXT_VALUES.items() if k in pattern.params}
    foreign = {k: rich_world.object_for(b, pattern.route, k) for k in ids}
    if pattern.route.startswith("public/lists/"):
        foreign["pk"] = b.objects["draft"]  # a published list is public; a draft one is not
    yield {**base, **{k: o.pk for k, o in foreign.items()}}, foreign
    if len(ids) > 1:
        parent, *children = ids
        mixed = {parent: rich_world.object_for(a, pattern.route, parent).pk}
        yield {**base, **mixed, **{k: foreign[k].pk for k in children}}, {k: foreign[k] for k in children}


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_out_of_scope_ids_are_not_found(worlds, db, pattern):
    a, b, clients = worlds
    start = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    problems, refs, sharers = [], set(), set()
    method = None
    for values, foreign in _combos(pattern, a, b):
        url = pattern.url(values)
        kinds = {rich_world.kind_of(pattern.route, k) for k in foreign}
        refs |= {str(o.pk) for o in foreign.values()}
        for role in REQUESTERS:
            if method is None:  # the first request tells whether the view takes GET at all
                method = "post" if clients["city"].get(url).status_code == 405 else "get"
            try:
                status = getattr(clients[role], method)(url).status_code
            except Exception as exc:  # a view that raised: the 500 a user would see
                problems.append(f"{method.upper()} {url} as {role}: {type(exc).__name__}: {exc}")
                continue
            shared = all(role in SHARED.get(kind, ()) for kind in kinds)
            if shared:
                sharers.add(a.users[role].pk)
            elif status not in REFUSED:
                problems.append(f"{method.upper()} {url} as {role}: {status}")
    recorded = (
        Event.objects.filter(pk__gt=start, object_id__in=refs)
        .exclude(action__startswith="auth.")
        .exclude(actor__in=sharers)  # what a register's users may do to it
    )
    problems += [f"recorded against B's objects: {e.action} {e.object_type}:{e.object_id}" for e in recorded]
    assert problems == []

"""A case's ordinary save applied to its cell's counts as a delta (cases/counts.py): its old bucket −1,
its new one +1, a constant few statements whatever the cell's size.

The old values are those the instance was loaded with (post_init, again after each save and after
refresh_from_db): a step loads its case under the row's lock, so they are the stored ones. Two steps
of different cases in one cell do not wait for each other: each holds the cell's row FOR KEY SHARE,
which only a rewrite's FOR UPDATE conflicts with, so a rewrite sees every delta committed or none
begun. Bucket rows are written in key order, so two deltas lock them in one order. A delta that finds
its old bucket missing or short (counts written around the models) rewrites the cell instead.
"""

import json

from django.db import connections, router

from qingshen.cases.models import AuditCase, CaseCount, RollupCell
from qingshen.cases.states import CLOSED_STATES

CELL = ("programme_id", "jurisdiction_id", "kind")
# Read before the save; a change of the last two is a move (the floors above count by them).
PLACE = (*CELL, "jurisdiction_path", "listing_id")
COUNTED = (
    "state",
    "level",
    "next_due_on",
    "accepted_on",
    "disclosed_on",
    "audit_started_on",
    "report_submitted_on",
)
STEPS = (
    ("accepted", "accepted_on"),
    ("disclosed", "disclosed_on"),
    ("started", "audit_started_on"),
    ("reports", "report_submitted_on"),
)
SUMS = ("cases", *(s for s, _f in STEPS), "carried_over")


class _Drifted(Exception):
    """The old bucket is not as the counts say: rewrite the cell."""


def _alias(instance) -> str:
    return router.db_for_write(AuditCase, instance=instance)


def case_counted_remember(instance) -> dict | None:
    """The counted values of a case as loaded (post_init; a step loads its case under its row lock,
    so they are the stored ones); None when some were not loaded."""
    values = instance.__dict__
    if any(name not in values for name in (*PLACE, *COUNTED)):
        return None
    return {name: values[name] for name in (*PLACE, *COUNTED)}


def case_counted_after(instance, before: dict, update_fields) -> dict:
    """The values as saved: the instance's for the fields written, the stored ones for the others."""
    saved = None if update_fields is None else set(update_fields)
    after = dict(before)
    for name in (*PLACE, *COUNTED):
        written = saved is None or name in saved or name.removesuffix("_id") in saved
        if written and name in instance.__dict__:
            after[name] = instance.__dict__[name]
    return after


def _bucket(v: dict) -> tuple[str, dict, dict]:
    """(key, columns, counts) of the one case these values describe."""
    from qingshen.cases.counts import bucket_key

    due = None if v["state"] in CLOSED_STATES else v["next_due_on"]
    grounds = json.loads(v["grounds"]) if isinstance(v["grounds"], str) else v["grounds"]
    lead, level = v["lead"] or "", v["level"] or ""
    columns = {
        "jurisdiction_path": v["jurisdiction_path"],
        "state": v["state"],
        "lead_authority": lead,
        "grounds": grounds,
        "level": level,
        "due_on": due,
    }
    counts = {"cases": 1, "carried_over": int(v["carried"] is not None)}
    counts.update({s: int(v[f] is not None) for s, f in STEPS})
    return bucket_key(v["jurisdiction_path"], v["state"], lead, grounds, level, due), columns, counts


def case_delta_apply(instance, before: dict, update_fields) -> bool | None:
    """Apply a save of an existing case to its cell's counts. True: applied (or nothing to apply);
    False: the case moved (cell, path or listing), so the caller rewrites; None: the counts had drifted,
    the caller rewrites the cell."""
    after = case_counted_after(instance, before, update_fields)
    if any(before[k] != after[k] for k in PLACE):
        return False
    if all(before[k] == after[k] for k in COUNTED):
        return True
    connection = connections[_alias(instance)]
    if not connection.in_atomic_block:
        # Outside a transaction a rewrite could count the saved case between its save and the delta.
        return None
    # Both sides have the same listing (another is a move): whether the case changes bucket does not
    # depend on the listing's fields, which are read with the cell's lock below.
    old, new = _bucket({**before, **_UNLISTED}), _bucket({**after, **_UNLISTED})
    if old[0] == new[0] and old[2] == new[2]:
        return True
    shared = _cell_shared(connection, after)
    if shared is None:
        return None
    cell_id, listed = shared
    old, new = _bucket({**before, **listed}), _bucket({**after, **listed})
    try:
        if old[0] == new[0]:
            _shift(connection, cell_id, old[0], {k: new[2][k] - old[2][k] for k in SUMS})
        else:
            writes = [(old[0], _take, (old[0], old[2])), (new[0], _add, (new,))]
            for _key, write, args in sorted(writes, key=lambda w: w[0]):
                write(connection, cell_id, *args)
    except _Drifted:
        return None
    return True


# The listing's counted fields of a case on no list (a voluntary audit).
_UNLISTED = {"lead": "", "grounds": None, "carried": None}


def _cell_shared(connection, v: dict) -> tuple[int, dict] | None:
    """The cell's id, its row held FOR KEY SHARE (PostgreSQL) until commit (a rewrite waits for it),
    and the listing's counted fields as stored now, not from a listing cached on the instance (an edit
    of the listing since rewrote the cell with its new values); in one statement. None when the cell
    or the listing is missing."""
    cell = RollupCell._meta.db_table
    listing = AuditCase._meta.get_field("listing").related_model._meta.db_table
    where = '"c"."programme_id" = %s AND "c"."jurisdiction_id" = %s AND "c"."case_kind" = %s'
    params = [v["programme_id"], v["jurisdiction_id"], v["kind"]]
    # Only the models' own names are formatted into these statements; values go as parameters.
    if v["listing_id"] is None:
        sql = f'SELECT "c"."id", NULL, NULL, NULL, NULL FROM "{cell}" "c" WHERE {where}'  # noqa: S608
    else:
        sql = (
            f'SELECT "c"."id", "l"."id", "l"."lead_authority", "l"."grounds", "l"."carried_from_id" '  # noqa: S608
            f'FROM "{cell}" "c" LEFT JOIN "{listing}" "l" ON "l"."id" = %s WHERE {where}'
        )
        params.insert(0, v["listing_id"])
    if connection.vendor == "postgresql":
        sql += ' FOR KEY SHARE OF "c"'
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    cell_id, listing_id, lead, grounds, carried = row
    if v["listing_id"] is None:
        return cell_id, _UNLISTED
    if listing_id is None:
        return None
    return cell_id, {"lead": lead, "grounds": grounds, "carried": carried}


def _shift(connection, cell_id: int, key: str, delta: dict) -> None:
    """Same bucket, other steps passed: add the differences, none below zero."""
    table = CaseCount._meta.db_table
    names = [k for k in SUMS if delta[k]]
    sets = ", ".join(f'"{k}" = "{k}" + %s' for k in names)
    guard = " AND ".join(f'"{k}" + %s >= 0' for k in names)
    sql = f'UPDATE "{table}" SET {sets} WHERE "cell_id" = %s AND "key" = %s AND {guard}'  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(delta[k] for k in names), cell_id, key, *(delta[k] for k in names)])
        if cursor.rowcount != 1:
            raise _Drifted()


def _take(connection, cell_id: int, key: str, counts: dict) -> None:
    """The case leaves this bucket; a bucket left empty is deleted (readers see only counted cases)."""
    table = CaseCount._meta.db_table
    sets = ", ".join(f'"{k}" = "{k}" - %s' for k in SUMS)
    guard = " AND ".join(f'"{k}" >= %s' for k in SUMS)
    values = [counts[k] for k in SUMS]
    sql = f'UPDATE "{table}" SET {sets} WHERE "cell_id" = %s AND "key" = %s AND {guard}'  # noqa: S608
    # With RETURNING (PostgreSQL, SQLite 3.35+) the emptied bucket's delete is sent only when it is empty.
    returning = connection.features.can_return_columns_from_insert
    with connection.cursor() as cursor:
        cursor.execute(sql + (' RETURNING "cases"' if returning else ""), [*values, cell_id, key, *values])
        rows = cursor.fetchall() if returning else None
        if (len(rows) if returning else cursor.rowcount) != 1:
            raise _Drifted()
        if not returning or rows[0][0] == 0:
            cursor.execute(
                f'DELETE FROM "{table}" WHERE "cell_id" = %s AND "key" = %s AND "cases" = 0',  # noqa: S608
                [cell_id, key],
            )


def _add(connection, cell_id: int, bucket: tuple) -> None:
    """The case enters this bucket: its row inserted, or added to if it is there."""
    key, columns, counts = bucket
    table = CaseCount._meta.db_table
    fields = {name: CaseCount._meta.get_field(name) for name in columns}
    values = [fields[n].get_db_prep_save(v, connection) for n, v in columns.items()]
    names = ", ".join(f'"{n}"' for n in ("cell_id", "key", *columns, *SUMS))
    placeholders = ", ".join(["%s"] * (2 + len(columns) + len(SUMS)))
    updates = ", ".join(f'"{k}" = "{table}"."{k}" + excluded."{k}"' for k in SUMS)
    sql = (
        f'INSERT INTO "{table}" ({names}) VALUES ({placeholders}) '  # noqa: S608
        f'ON CONFLICT ("cell_id", "key") DO UPDATE SET {updates}'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [cell_id, key, *values, *(counts[k] for k in SUMS)])

"""Database triggers that refuse UPDATE and DELETE on the operation log, and the one way past them.

The ORM already refuses (models.AppendOnlyError); the triggers also stop raw SQL from any client with
write access short of the table's owner, who can drop them — the keyed checkpoints (checkpoints.py)
catch that case. Pruning deletes through `unlocked()`, which sets a guard the triggers look for inside
its own transaction only: a transaction-local setting on PostgreSQL, a row in a guard table (not a Django
model, so `flush` leaves it alone) on SQLite.

The one update allowed is linking an event at commit (linking.py): a row written unlinked (seq NULL,
digest '') gets its seq, prev_digest and digest once, every other column unchanged. A linked row cannot
be linked again nor changed in any other way.

The SQL here is run by migrations trail.0003 and trail.0005 (which let linking through). SQLite drops a
table's triggers when a migration rebuilds the table (most AlterField/RemoveField operations do): such a
migration must call `triggers_create` again. `triggers_state` (checked by verify_log) notices if it did not.
"""

import contextlib

from django.db import connections, transaction

TABLES = ("trail_event", "trail_checkpoint")
GUARD_TABLE = "trail_log_unlock"
GUARD_SETTING = "qingshen.log_unlock"
MESSAGE = "the operation log is append-only"
# The event's columns linking leaves as they are, compared one by one on SQLite (PostgreSQL compares the
# whole row but seq, prev_digest and digest, so a column added later is covered there without a change).
EVENT_KEPT_COLUMNS = (
    "id",
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

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION trail_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Nested: PL/pgSQL does not promise to stop at the first false term, and a checkpoint has no seq.
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'trail_event' THEN
        IF OLD.seq IS NULL AND OLD.digest = '' AND OLD.prev_digest = ''
            AND NEW.seq IS NOT NULL AND NEW.digest <> '' AND NEW.prev_digest <> ''
            AND to_jsonb(OLD) - 'seq' - 'prev_digest' - 'digest' = to_jsonb(NEW) - 'seq' - 'prev_digest' - 'digest'
        THEN
            RETURN NEW;
        END IF;
    END IF;
    IF TG_OP IN ('DELETE', 'TRUNCATE') AND current_setting('{GUARD_SETTING}', true) = 'on' THEN
        IF TG_LEVEL = 'ROW' THEN
            RETURN OLD;
        END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% on % refused: {MESSAGE}', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def _pg_create() -> list[str]:
    sql = [_PG_FUNCTION]
    for table in TABLES:
        sql += [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION trail_append_only()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION trail_append_only()",
        ]
    return sql


def _pg_drop() -> list[str]:
    sql = []
    for table in TABLES:
        sql += [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        ]
    return [*sql, "DROP FUNCTION IF EXISTS trail_append_only()"]


def _sqlite_link_only() -> str:
    """The WHEN clause that lets exactly linking an unlinked event through (see the module's doc)."""
    kept = " AND ".join(f"NEW.{name} IS OLD.{name}" for name in EVENT_KEPT_COLUMNS)
    return (
        "WHEN NOT (OLD.seq IS NULL AND OLD.digest = '' AND OLD.prev_digest = '' AND NEW.seq IS NOT NULL "
        f"AND NEW.digest <> '' AND NEW.prev_digest <> '' AND {kept}) "
    )


def _sqlite_create() -> list[str]:
    sql = [f"CREATE TABLE IF NOT EXISTS {GUARD_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1))"]
    for table in TABLES:
        linking = _sqlite_link_only() if table == "trail_event" else ""
        sql += [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} {linking}"
            f"BEGIN SELECT RAISE(ABORT, 'UPDATE on {table} refused: {MESSAGE}'); END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "  # noqa: S608
            f"WHEN NOT EXISTS (SELECT 1 FROM {GUARD_TABLE}) "
            f"BEGIN SELECT RAISE(ABORT, 'DELETE on {table} refused: {MESSAGE}'); END",
        ]
    return sql


def _sqlite_drop() -> list[str]:
    sql = []
    for table in TABLES:
        sql += [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]
    return [*sql, f"DROP TABLE IF EXISTS {GUARD_TABLE}"]


def _expected(vendor: str) -> set[str]:
    if vendor == "postgresql":
        return {f"{t}_{kind}" for t in TABLES for kind in ("append_only", "no_truncate")}
    if vendor == "sqlite":
        return {f"{t}_{kind}" for t in TABLES for kind in ("no_update", "no_delete")}
    return set()


def create_sql(vendor: str) -> list[str]:
    return {"postgresql": _pg_create, "sqlite": _sqlite_create}.get(vendor, list)()


def drop_sql(vendor: str) -> list[str]:
    return {"postgresql": _pg_drop, "sqlite": _sqlite_drop}.get(vendor, list)()


def triggers_create(schema_editor) -> None:
    for statement in create_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)  # the function body holds %: no placeholders


def triggers_drop(schema_editor) -> None:
    for statement in drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)  # the function body holds %: no placeholders


@contextlib.contextmanager
def unlocked(using: str = "default"):
    """Let the block delete log rows (pruning, the test runner's flush). One transaction; the guard
    is gone when the block ends, committed or not."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, 'on', true)", [GUARD_SETTING])
        elif connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {GUARD_TABLE} (id) VALUES (1)")  # noqa: S608  (a constant)
        yield
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, '', true)", [GUARD_SETTING])
        elif connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {GUARD_TABLE}")  # noqa: S608  (a constant)


def triggers_state(using: str = "default") -> list[str]:
    """What is wrong with the triggers (missing, disabled, guard left open); empty when all is well."""
    connection = connections[using]
    expected = _expected(connection.vendor)
    if not expected:
        return []
    problems = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN "
                "(SELECT oid FROM pg_class WHERE relname = ANY(%s))",
                [list(TABLES)],
            )
            found = dict(cursor.fetchall())
            problems += [f"{name} disabled" for name, enabled in found.items() if enabled == "D"]
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            found = {row[0]: "O" for row in cursor.fetchall()}
            cursor.execute(f"SELECT COUNT(*) FROM sqlite_master WHERE name = '{GUARD_TABLE}'")  # noqa: S608
            if cursor.fetchone()[0]:
                cursor.execute(f"SELECT COUNT(*) FROM {GUARD_TABLE}")  # noqa: S608
                if cursor.fetchone()[0]:
                    problems.append(f"{GUARD_TABLE} holds a row (deletes allowed)")
            else:
                problems.append(f"{GUARD_TABLE} missing")
    problems += [f"{name} missing" for name in sorted(expected - set(found))]
    return problems

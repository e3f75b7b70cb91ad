"""A city at size, made in SQL, in a named database kept between runs (bench_pages_scale.py reads it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_50k BENCH_CASES=50000 \
        .venv/bin/python bench/city_sql.py build

For BENCH_CASES = N: 20 districts, 10 yearly programmes (2016–2025), N / 10 enterprises (each listed
once a year, so N listings and cases, in every state), their pinyin search keys, a concluded review
of every second case, N / 4 warnings, N / 10 accountability cases and 10 N operation-log events
(BENCH_EVENTS_PER_CASE; not a valid chain: the pages do not read the digests). One row of each is
made by the ORM (every column a valid value); the others are copies of it made by
INSERT … SELECT over generate_series, with the columns that differ computed from the row's number g.
The tables' secondary indexes are dropped for the copy and made again after it (one sort each instead
of N index insertions), triggers (foreign keys, the log's append-only guard) are off for the session
(session_replication_role), then `rebuild_counts`, `rebuild_rollups` and VACUUM ANALYZE.
The database must exist and be empty (createdb); it is migrated first.
"""

import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CASES = int(os.environ.get("BENCH_CASES", "50000"))
EVENTS_PER_CASE = int(os.environ.get("BENCH_EVENTS_PER_CASE", "10"))
YEARS = 10
FIRST_YEAR = 2016
DISTRICTS = 20
# Twelve states a case can be in (a group's pass is rare); done ones have no next deadline.
STATES = [
    "listed", "disclosed", "auditing", "report_submitted", "evaluation_applied", "evaluating",
    "implementing", "acceptance_applied", "accepting", "accepted", "published", "withdrawn",
]  # fmt: skip
DONE = ("accepted", "published", "withdrawn")
WORDS = "重庆长江三峰环境化工电镀涂装钢铁机械食品制药印染造纸水泥玻璃建材能源热电汽车摩托"  # forty


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingshen.settings_test")
    os.environ.setdefault("QINGSHEN_VAR_DIR", tempfile.mkdtemp(prefix="qingshen-bench-"))
    import django

    django.setup()


def _sql(sql, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _array(values) -> str:
    return "(ARRAY[" + ", ".join(str(v) for v in values) + "])"


def _text_array(values) -> str:
    return "(ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]::text[])"


def _copy(model, n: int, overrides: dict[str, str]) -> int:
    """n copies (g = 0 … n - 1) of `model`'s one template row, ids after it; `overrides` gives SQL (of
    g) for the columns that differ. Returns the id of copy 0 (copy g has id first + g)."""
    from django.db import connection

    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    unknown = set(overrides) - set(columns)
    assert not unknown, unknown
    select = ", ".join(overrides.get(c, f't."{c}"') for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT max(id) FROM "{table}"')  # noqa: S608  (the model's table)
        first = cursor.fetchone()[0] + 1
        cursor.execute(
            f"""INSERT INTO "{table}" (id, {names})
                SELECT {first} + g, {select}
                FROM generate_series(0, {n - 1}) AS g
                CROSS JOIN (SELECT * FROM "{table}" ORDER BY id LIMIT 1) AS t"""  # noqa: S608
        )
        cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), {first + n})", [table])
    return first


def _indexes_drop(tables) -> list[str]:
    """Drop the secondary indexes (not those of constraints) of `tables`; their definitions back."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
            [list(tables)],
        )
        kept = cursor.fetchall()
        for name, _definition in kept:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in kept]


def _world():
    """The ORM-made part: places, people, programmes and one template row of each copied table."""
    from qingshen.accounts.models import Jurisdiction, User
    from qingshen.cases.models import AuditCase
    from qingshen.oversight.models import AccountabilityRecord, Warning
    from qingshen.programmes.models import Listing, Milestone, Programme
    from qingshen.registry.models import Enterprise
    from qingshen.reviews.models import Review

    province = Jurisdiction.objects.create(name="省", level="province")
    city = Jurisdiction.objects.create(name="市", level="city", parent=province)
    districts = [
        Jurisdiction.objects.create(name=f"区{i}", level="district", parent=city) for i in range(DISTRICTS)
    ]
    city_user = User.objects.create(username="city", role="city", jurisdiction=city)
    User.objects.create(username="sup", role="supervisor", jurisdiction=city)
    User.objects.create(username="auditor", role="auditor")
    programmes, milestones = [], []
    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
        p = Programme.objects.create(
            city=city,
            year=year,
            title=f"{year}",
            list_state="published",
            published_on=datetime.date(year, 3, 1),
        )
        programmes.append(p)
        milestones.append(Milestone.objects.create(programme=p, name="m", due_on=datetime.date(year, 12, 1)))
    ent = Enterprise.objects.create(
        name="重庆模板有限公司", uscc="915001129000000000", jurisdiction=districts[0]
    )
    listing = Listing.objects.create(
        programme=programmes[0], enterprise=ent, grounds=["emissions"], lead_authority="environment"
    )
    case = AuditCase.objects.create(
        programme=programmes[0], listing=listing, enterprise=ent, jurisdiction=ent.jurisdiction,
        published_on=programmes[0].published_on, state="accepted",
    )  # fmt: skip
    now = datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)
    Review.objects.create(
        case=case, kind="evaluation", status="concluded", applied_by=city_user, applied_on=now.date(),
        outcome="pass", concluded_on=now.date(),
    )  # fmt: skip
    Warning.objects.create(
        milestone=milestones[0], programme=programmes[0], case=case, jurisdiction_path=ent.jurisdiction.path,
        level="upcoming", threshold_days=30_000, due_on=milestones[0].due_on, recorded_at=now,
    )  # fmt: skip
    AccountabilityRecord.objects.create(case=case, kind="other", duty="d", explanation="e")
    return {
        "districts": [d.pk for d in districts],
        "paths": [d.path for d in districts],
        "programmes": [p.pk for p in programmes],
        "milestones": [m.pk for m in milestones],
        "user": city_user.pk,
    }


def _copies(world, n):
    """The SQL part; returns {step: seconds}."""
    from qingshen.cases.models import AuditCase
    from qingshen.oversight.models import AccountabilityRecord, Warning
    from qingshen.programmes.models import Listing
    from qingshen.registry.models import Enterprise
    from qingshen.reviews.models import Review

    steps = {}
    districts, paths = _array(world["districts"]), _text_array(world["paths"])
    programmes, milestones = _array(world["programmes"]), _array(world["milestones"])
    enterprises = n // YEARS
    words = _text_array(list(WORDS))
    e = "(g / 10)"  # case g: enterprise g / 10, in year g % 10
    t = time.perf_counter()
    ent0 = _copy(
        Enterprise,
        enterprises,
        {
            # four words (the digits of g pick them) then the number: names share their words as real ones do
            "name": f"{words}[g % 40 + 1] || {words}[g / 40 % 40 + 1] || {words}[g / 1600 % 40 + 1]"
            f" || {words}[g / 64000 % 40 + 1] || g || '有限公司'",
            "uscc": "'91500112' || lpad(g::text, 10, '0')",
            "jurisdiction_id": f"{districts}[g % {DISTRICTS} + 1]",
        },
    )
    steps["enterprises"] = time.perf_counter() - t
    t = time.perf_counter()
    lst0 = _copy(
        Listing,
        n,
        {"programme_id": f"{programmes}[g % {YEARS} + 1]", "enterprise_id": f"{ent0} + {e}"},
    )
    steps["listings"] = time.perf_counter() - t
    t = time.perf_counter()
    state = f"{_text_array(STATES)}[(g * 7 + {e}) % {len(STATES)} + 1]"
    done = "(" + " OR ".join(f"{state} = '{s}'" for s in DONE) + ")"
    published = f"make_date({FIRST_YEAR} + g % {YEARS}, 3, 1)"
    case0 = _copy(
        AuditCase,
        n,
        {
            "programme_id": f"{programmes}[g % {YEARS} + 1]",
            "listing_id": f"{lst0} + g",
            "enterprise_id": f"{ent0} + {e}",
            "jurisdiction_id": f"{districts}[{e} % {DISTRICTS} + 1]",
            "jurisdiction_path": f"{paths}[{e} % {DISTRICTS} + 1]",
            "state": state,
            "published_on": published,
            "disclosed_on": f"CASE WHEN {state} = 'listed' THEN NULL ELSE {published} + 20 END",
            "accepted_on": f"CASE WHEN {state} IN ('accepted', 'published') THEN {published} + 500 END",
            "level": f"CASE WHEN {state} IN ('accepted', 'published') THEN 'II' ELSE '' END",
            # many cases share a deadline (the ties the id settles)
            "next_due_on": f"CASE WHEN {done} THEN NULL ELSE {published} + g % 700 END",
            "next_due_kind": f"CASE WHEN {done} THEN '' ELSE 'report' END",
        },
    )
    steps["cases"] = time.perf_counter() - t
    t = time.perf_counter()
    _copy(
        Review,
        n // 2,
        {
            "case_id": f"{case0} + 2 * g",
            "applied_on": "DATE '2016-06-01' + g % 3000",
            "concluded_on": "DATE '2016-07-01' + g % 3000",
        },
    )
    _copy(
        Warning,
        n // 4,
        {  # unique per milestone, due date, level and threshold; three recorded at each moment
            "case_id": f"{case0} + 4 * g",
            "milestone_id": f"{milestones}[g % {YEARS} + 1]",
            "programme_id": f"{programmes}[g % {YEARS} + 1]",
            "jurisdiction_path": f"{paths}[4 * g / 10 % {DISTRICTS} + 1]",
            "due_on": "DATE '2016-01-01' + g / 200000",
            "threshold_days": "g / 10 % 20000",
            "recorded_at": "t.recorded_at - (g / 3) * INTERVAL '1 second'",
        },
    )
    _copy(
        AccountabilityRecord,
        n // 10,
        {
            "case_id": f"{case0} + 10 * g",
            "opened_at": "t.opened_at - (g / 2) * INTERVAL '1 second'",
            "closed_at": "CASE WHEN g % 3 = 0 THEN t.opened_at END",
        },
    )
    steps["reviews, warnings, accountability"] = time.perf_counter() - t
    t = time.perf_counter()
    _events(n * EVENTS_PER_CASE, n, case0, world["user"])
    steps["events"] = time.perf_counter() - t
    return steps, ent0, enterprises


def _events(count, cases, case0, user):
    _sql(
        f"""INSERT INTO trail_event (id, seq, at, actor_id, actor_name, client_ip, action, result,
                object_type, object_id, object_repr, before, after, note, prev_digest, digest)
            SELECT g, g, TIMESTAMPTZ '2016-01-01' + g * INTERVAL '20 seconds',
                CASE WHEN g % 3 > 0 THEN {user} END, CASE WHEN g % 3 > 0 THEN 'city' ELSE '' END,
                CASE WHEN g % 5 > 0 THEN ('10.0.' || g % 250 || '.' || g % 200)::inet END,
                (ARRAY['case.transition.disclose', 'document.upload', 'user.login'])[g % 3 + 1], 'success',
                'cases.auditcase', ({case0} + g % {cases})::text,
                '重庆市某化工有限公司' || g % {cases} || '（2025年度）',
                CASE WHEN g % 2 = 1 THEN '{{"state": "listed"}}'::jsonb END,
                CASE WHEN g % 2 = 1 THEN jsonb_build_object('state', 'disclosed', 'n', g) ELSE '{{"ok": true}}' END,
                CASE WHEN g % 7 = 0 THEN '官网已公开' ELSE '' END,
                lpad(to_hex(g - 1), 64, '0'), lpad(to_hex(g), 64, '0')
            FROM generate_series(1, {count}) AS g"""  # noqa: S608  (numbers from here)
    )
    _sql(f"SELECT setval(pg_get_serial_sequence('trail_event', 'id'), {count})")
    _sql(
        "INSERT INTO trail_chainhead (id, seq, digest, anchor_seq, anchor_prev_digest) VALUES (1, %s, %s, 1, '') "
        "ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, digest = EXCLUDED.digest",
        [count, format(count, "x").rjust(64, "0")],
    )


def _search_keys(first: int, count: int):
    from django.db import connection

    from qingshen.registry.search_key_services import search_keys_insert

    step = 20_000
    for start in range(first, first + count, step):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, name FROM registry_enterprise WHERE id >= %s AND id < %s", [start, start + step]
            )
            search_keys_insert(enterprises=cursor.fetchall())


def build():
    import io

    from django.core.management import call_command
    from django.db import connection, transaction

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.0f} s", flush=True)
    t = time.perf_counter()
    tables = [
        "registry_enterprise", "programmes_listing", "cases_auditcase", "reviews_review",
        "oversight_warning", "oversight_accountabilityrecord", "trail_event",
    ]  # fmt: skip
    with transaction.atomic():
        world = _world()
    with transaction.atomic():
        _sql("SET LOCAL session_replication_role = replica")
        _sql("SET LOCAL maintenance_work_mem = '1GB'")
        _sql("SET LOCAL synchronous_commit = off")
        definitions = _indexes_drop(tables)
        steps, ent0, enterprises = _copies(world, CASES)
        i = time.perf_counter()
        for definition in definitions:
            _sql(definition)
        steps["indexes"] = time.perf_counter() - i
        _sql("SET LOCAL session_replication_role = origin")
    for step, seconds in steps.items():
        print(f"  {step:<40} {seconds:>8.0f} s", flush=True)
    i = time.perf_counter()
    _search_keys(ent0, enterprises)
    print(f"  {'search keys':<40} {time.perf_counter() - i:>8.0f} s", flush=True)
    i = time.perf_counter()
    call_command("rebuild_counts", stdout=io.StringIO())
    call_command("rebuild_rollups", stdout=io.StringIO())
    print(f"  {'rebuild_counts, rebuild_rollups':<40} {time.perf_counter() - i:>8.0f} s", flush=True)
    i = time.perf_counter()
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  {'VACUUM ANALYZE':<40} {time.perf_counter() - i:>8.0f} s", flush=True)
    print(f"built {CASES} cases in {time.perf_counter() - t:.0f} s", flush=True)


if __name__ == "__main__":
    _setup()
    if sys.argv[1:] == ["build"]:
        build()

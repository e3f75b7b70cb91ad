"""Plain rows inserted in bulk without the ORM's per-field work (an import's thousands of deadline and
log rows). The values are already in the form the database takes (get_db_prep_save, ISO dates).

SQLite runs executemany in process, row by row at C speed; PostgreSQL's executemany sends one
statement per row, so there the rows go as multi-row VALUES statements up to the parameter limit."""

from django.db import connection

PG_MAX_PARAMS = 65535  # the wire protocol's limit on one statement's parameters
MAX_ROWS = 5000


def rows_insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "  # noqa: S608
    one = f"({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for start in range(0, len(rows), MAX_ROWS):
                cursor.executemany(head + one, rows[start : start + MAX_ROWS])
            return
        limit = connection.features.max_query_params or PG_MAX_PARAMS
        size = max(1, min(MAX_ROWS, limit // len(columns)))
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            cursor.execute(head + ", ".join([one] * len(chunk)), [v for row in chunk for v in row])

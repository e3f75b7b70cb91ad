"""Plain rows inserted in bulk without the ORM's per-field work (an import's thousands of deadline and
log rows). The values are already in the form the database takes (get_db_prep_save, ISO dates).

SQLite runs executemany in process, row by row at C speed. PostgreSQL's executemany sends one
statement per row, and a many-row VALUES list is slow to plan; there each column goes as one typed
array through UNNEST, as Django's own bulk_create does."""

from django.db import connection

MAX_ROWS = 5000


def rows_insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert `rows` (tuples in the order of `columns`, the model's column names) into model's table."""
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            sql = head + f"VALUES ({', '.join(['%s'] * len(columns))})"
            for start in range(0, len(rows), MAX_ROWS):
                cursor.executemany(sql, rows[start : start + MAX_ROWS])
            return
        by_column = {f.column: f for f in model._meta.concrete_fields}
        # Without the type's length (varchar[], not varchar(50)[]): nothing is cut short.
        types = [by_column[c].db_type(connection).split("(")[0] for c in columns]
        sql = head + f"SELECT * FROM UNNEST({', '.join(f'(%s)::{t}[]' for t in types)})"  # noqa: S608 (model columns and types)
        for start in range(0, len(rows), MAX_ROWS):
            cursor.execute(
                sql, [list(column) for column in zip(*rows[start : start + MAX_ROWS], strict=True)]
            )


def column_defaults(model, given: tuple[str, ...], now) -> dict[str, object]:
    """The database value of every column of `model` that `given` leaves out (and is not the key): its
    default, or `now` for auto_now(_add) dates, as the ORM's own insert would store it."""
    values = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.column in given:
            continue
        value = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        values[f.column] = f.get_db_prep_save(value, connection)
    return values

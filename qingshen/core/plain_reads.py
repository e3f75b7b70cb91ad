"""Model rows read by a plain statement, for the few reads every change of a case runs (its lock, its
deadlines, the rules, the log's links): the ORM's compilation of such a query costs more processor
than the read itself, and a step is bound by the processor when many writers share few cores.

The values go through the same converters the ORM applies (the backend's, then the field's, e.g.
dates read from SQLite, JSON, encrypted text), and the instances are made by Model.from_db, as the
ORM makes them (their post_init receivers run)."""

from django.db import connections

_CONVERTERS: dict = {}


def columns(model, alias: str = "") -> str:
    """The model's columns, in its concrete fields' order, for a SELECT list (`alias`: the table's).
    Both backends quote names alike."""
    table = alias or model._meta.db_table
    return ", ".join(f'"{table}"."{f.column}"' for f in model._meta.concrete_fields)


def _converters(fields: tuple, connection) -> list:
    """(position, converters, column expression) of the fields that have converters, once per process."""
    key = (fields, connection.alias)
    found = _CONVERTERS.get(key)
    if found is None:
        found = []
        for i, field in enumerate(fields):
            col = field.get_col(field.model._meta.db_table)
            converters = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
            if converters:
                found.append((i, converters, col))
        _CONVERTERS[key] = found
    return found


def converted(rows, fields: tuple, connection) -> list[list]:
    """`rows` (tuples of these fields' columns, in order) with the ORM's converters applied."""
    converters = _converters(fields, connection)
    out = []
    for row in rows:
        row = list(row)
        for i, funcs, col in converters:
            value = row[i]
            for func in funcs:
                value = func(value, col, connection)
            row[i] = value
        out.append(row)
    return out


def instances(model, sql: str, params, using: str = "default") -> list:
    """The model's instances from `sql`, which selects columns(model) first (any further columns are
    ignored)."""
    connection = connections[using]
    fields = tuple(model._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    names = [f.attname for f in fields]
    n = len(fields)
    return [model.from_db(using, names, row[:n]) for row in converted(rows, fields, connection)]

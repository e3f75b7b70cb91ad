"""The row lock every step of a case starts with: the case, if the actor may see it, locked for the rest
of the transaction, with its programme, enterprise and listing (which the step, its log line and its
counts read).

The same statement as cases_visible(actor).select_for_update(of=("self",)).select_related(...)
.get(pk=...) would send, written once per process instead of compiled at every step: the 75 columns
and three joins cost more processor to compile than the rest of the step's reads together. The scope
is the ORM's own, compiled for each call as a subquery of case ids, so who sees which case is decided
in one place (scoping.cases_visible)."""

from django.core.exceptions import EmptyResultSet
from django.db import connections, router

from qingshen.cases import scoping
from qingshen.cases.models import AuditCase
from qingshen.core.plain_reads import columns, converted

RELATED = ("programme", "enterprise", "listing")
_STATEMENT: dict = {}


def _statement(connection) -> tuple[str, str, tuple, list]:
    """(head, tail, fields, [(relation field, start, end)]) of the lock's statement, once per process
    and backend: the scope goes between head and tail."""
    found = _STATEMENT.get(connection.alias)
    if found is not None:
        return found
    fields = list(AuditCase._meta.concrete_fields)
    selects, joins, slices = [columns(AuditCase, "c")], [], []
    for i, name in enumerate(RELATED):
        relation = AuditCase._meta.get_field(name)
        model, alias = relation.related_model, f"r{i}"
        selects.append(columns(model, alias))
        join = "LEFT OUTER JOIN" if relation.null else "INNER JOIN"
        joins.append(
            f'{join} "{model._meta.db_table}" "{alias}" '
            f'ON ("c"."{relation.column}" = "{alias}"."{relation.target_field.column}")'
        )
        slices.append((relation, len(fields), len(fields) + len(model._meta.concrete_fields)))
        fields.extend(model._meta.concrete_fields)
    head = (
        f'SELECT {", ".join(selects)} FROM "{AuditCase._meta.db_table}" "c" {" ".join(joins)} '  # noqa: S608 (the models' names)
        'WHERE "c"."id" = %s AND "c"."id" IN ('
    )
    tail = ")"
    if connection.features.has_select_for_update_of:
        tail += ' FOR UPDATE OF "c"'
    elif connection.features.has_select_for_update:
        tail += " FOR UPDATE"
    found = _STATEMENT[connection.alias] = (head, tail, tuple(fields), slices)
    return found


def case_locked_for(actor, case_id: int) -> AuditCase | None:
    """The case if `actor` may see it (scoping.cases_visible), its row locked FOR UPDATE until the
    transaction ends, its programme, enterprise and listing loaded with it; None if not found."""
    try:
        scope, scope_params = scoping.cases_visible(actor).order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a scope of no case at all
        return None
    using = router.db_for_write(AuditCase)
    connection = connections[using]
    head, tail, fields, slices = _statement(connection)
    with connection.cursor() as cursor:
        cursor.execute(head + scope + tail, [case_id, *scope_params])
        rows = cursor.fetchall()
    if not rows:
        return None
    row = converted(rows[:1], fields, connection)[0]
    n = len(AuditCase._meta.concrete_fields)
    case = AuditCase.from_db(using, [f.attname for f in fields[:n]], row[:n])
    # As the ORM's select_related sets them: each relation cached on the case, and the case on a
    # one-to-one relation's object.
    for relation, start, end in slices:
        model = relation.related_model
        values = row[start:end]
        target = values[model._meta.concrete_fields.index(model._meta.pk)]
        obj = None if target is None else model.from_db(using, [f.attname for f in fields[start:end]], values)
        relation.set_cached_value(case, obj)
        if obj is not None and relation.unique:
            relation.remote_field.set_cached_value(obj, case)
    return case

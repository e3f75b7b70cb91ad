"""A checked file's rows read from the batch in the database a page at a time (the preview shows 50
of perhaps 100,000), without loading the whole list."""

from collections.abc import Sequence

from django.db.models import F, Func, IntegerField, JSONField

from qingshen.programmes.models import ImportBatch


class _ArrayLength(Func):
    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra)


class _Slice(Func):
    """rows[start:stop] as one JSON array: the column is parsed once, not once a row."""

    output_field = JSONField()

    def __init__(self, start: int, stop: int):
        self.start, self.stop = start, stop
        super().__init__(F("rows"))

    def as_sql(self, compiler, connection, **extra):  # SQLite: several paths give an array of their values
        column, params = compiler.compile(self.source_expressions[0])
        paths = [f"$[{i}]" for i in range(self.start, self.stop)]
        return f"JSON_EXTRACT({column}, {', '.join(['%s'] * len(paths))})", (*params, *paths)

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"JSONB_PATH_QUERY_ARRAY({column}, %s::jsonpath)", (
            *params,
            f"$[{self.start} to {self.stop - 1}]",
        )


class StoredRows(Sequence):
    """The rows of batch `pk` as a Paginator reads them: their count, and a slice from the database.
    Any batch model with a JSON list `rows` (list, history and permit imports)."""

    def __init__(self, pk: int, model=ImportBatch):
        self._batch = model.objects.filter(pk=pk)
        self._count = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self._batch.annotate(n=_ArrayLength("rows")).values_list("n", flat=True).get() or 0
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, step = index.indices(len(self))
        if start >= stop:
            return []
        page = self._batch.annotate(page=_Slice(start, stop)).values_list("page", flat=True).get()
        page = page if isinstance(page, list) else [page]  # one path gives the value itself
        return page[::step]


def with_row_count(batches):
    """The batches with `row_count` counted in the database and their rows left there."""
    return batches.defer("rows").annotate(row_count=_ArrayLength("rows"))

"""A checked file's rows read from the batch in the database a page at a time (the preview shows 50
of perhaps 100,000), without loading the whole list."""

from collections.abc import Sequence

from django.db.models import Func, IntegerField
from django.db.models.fields.json import KeyTransform

from qingshen.programmes.models import ImportBatch


class _ArrayLength(Func):
    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra)


class StoredRows(Sequence):
    """The rows of batch `pk` as a Paginator reads them: their count, and a slice from the database."""

    def __init__(self, pk: int):
        self._batch = ImportBatch.objects.filter(pk=pk)
        self._count = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self._batch.annotate(n=_ArrayLength("rows")).values_list("n", flat=True).get() or 0
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        positions = range(*index.indices(len(self)))
        if not positions:
            return []
        picked = {f"r{i}": KeyTransform(str(i), "rows") for i in positions}
        values = self._batch.annotate(**picked).values_list(*picked).get()
        return list(values)

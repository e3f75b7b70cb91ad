from qingshen.core.bulk_rows import rows_insert
from qingshen.registry.models import SearchKey
from qingshen.registry.search_keys import keys_of
from qingshen.trail.services import event_record


def search_key_refresh(*, enterprise) -> SearchKey:
    """Keep the enterprise's pinyin keys in step with its name (called on every save of the enterprise).

    Derived data, not a user action: no event of its own (the enterprise's change has one)."""
    initials, full = keys_of(enterprise.name)
    key, _created = SearchKey.objects.update_or_create(
        enterprise=enterprise, defaults={"initials": initials, "full": full}
    )
    return key


def search_keys_rebuild(*, enterprises) -> int:
    """Bulk rebuild (migrations, imports done with bulk_create, benchmarks)."""
    rows = []
    for e in enterprises:
        initials, full = keys_of(e.name)
        rows.append(SearchKey(enterprise_id=e.pk, initials=initials, full=full))
    SearchKey.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["enterprise"],
        update_fields=["initials", "full"],
    )
    return len(rows)


def search_keys_insert(*, enterprises: list[tuple[int, str]]) -> int:
    """The keys of enterprises that have none yet, (pk, name) each, in plain bulk inserts (an import's
    new enterprises, written without the ORM's per-row work)."""
    rows_insert(
        SearchKey, ("enterprise_id", "initials", "full"), [(pk, *keys_of(name)) for pk, name in enterprises]
    )
    return len(enterprises)


def search_keys_rebuild_all(*, actor_name: str = "system") -> int:
    """Every enterprise's keys anew (after a change of how keys are made, a restore, a bulk load)."""
    from qingshen.registry.models import Enterprise

    n = 0
    batch = []
    for enterprise in Enterprise.objects.only("pk", "name").order_by("pk").iterator(chunk_size=5000):
        batch.append(enterprise)
        if len(batch) == 5000:
            n += search_keys_rebuild(enterprises=batch)
            batch = []
    n += search_keys_rebuild(enterprises=batch)
    event_record(action="public.search_keys.rebuild", actor_name=actor_name, after={"enterprises": n})
    return n

from .models import SearchKey
from .search_keys import initials_of


def search_key_refresh(*, enterprise) -> SearchKey:
    """Keep the enterprise's initials in step with its name (called on every save of the enterprise).

    Derived data, not a user action: no event of its own (the enterprise's change has one)."""
    key, _created = SearchKey.objects.update_or_create(
        enterprise=enterprise, defaults={"initials": initials_of(enterprise.name)}
    )
    return key


def search_keys_rebuild(*, enterprises) -> int:
    """Bulk rebuild (migrations, imports done with bulk_create, benchmarks)."""
    rows = [SearchKey(enterprise_id=e.pk, initials=initials_of(e.name)) for e in enterprises]
    SearchKey.objects.bulk_create(
        rows, batch_size=2000, update_conflicts=True, unique_fields=["enterprise"], update_fields=["initials"]
    )
    return len(rows)

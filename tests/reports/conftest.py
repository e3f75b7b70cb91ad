import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _dashboard_cache_empty():
    """The dashboard caches its figures per scope and data version; rolled-back tests reuse ids."""
    cache.clear()
    yield
    cache.clear()

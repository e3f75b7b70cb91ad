"""Indexes that serve a search anywhere in an enterprise's name or credit code on PostgreSQL
(registry/name_search.py): pg_trgm GIN indexes for queries of three characters or more, and a GIN
index of the name's two-character pieces for two-character queries such as 化工, which have no trigram.
SQLite is unchanged (it scans, which is fine at its size)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

BIGRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION qs_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}')
    FROM generate_series(1, length(t) - 1) AS i
$$
"""

FORWARD = [
    BIGRAMS_FUNCTION,
    "CREATE INDEX IF NOT EXISTS enterprise_name_trgm ON registry_enterprise "
    "USING gin (upper((name)::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS enterprise_uscc_trgm ON registry_enterprise "
    "USING gin (upper((uscc)::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS enterprise_name_bigrams ON registry_enterprise "
    "USING gin (qs_bigrams(upper((name)::text)))",
    "CREATE INDEX IF NOT EXISTS searchkey_initials_trgm ON public_searchkey USING gin (initials gin_trgm_ops)",
    'CREATE INDEX IF NOT EXISTS searchkey_full_trgm ON public_searchkey USING gin ("full" gin_trgm_ops)',
]
BACKWARD = [
    "DROP INDEX IF EXISTS searchkey_full_trgm",
    "DROP INDEX IF EXISTS searchkey_initials_trgm",
    "DROP INDEX IF EXISTS enterprise_name_bigrams",
    "DROP INDEX IF EXISTS enterprise_uscc_trgm",
    "DROP INDEX IF EXISTS enterprise_name_trgm",
    "DROP FUNCTION IF EXISTS qs_bigrams(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_search_keys_from_public")]

    operations = [
        TrigramExtension(),  # does nothing on other databases
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]

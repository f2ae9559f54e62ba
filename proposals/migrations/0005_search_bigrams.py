"""Chinese keyword search on proposals (docs/architecture.md, where code goes; the query side is tracker/search.py).

Installs two SQL functions, `tracker_bigrams(text)` (overlapping two-character tokens of the
lower-cased text as a tsvector) and `tracker_bigram_query(text)` (the AND of a term's tokens, or a
prefix match for one character), and a GIN index on the proposal's number, title and body.
PostgreSQL only: SQLite searches with LIKE and needs neither.
"""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION tracker_bigrams(text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_to_tsvector(array_agg(DISTINCT substr(t, i, 2))), ''::tsvector)
  FROM (SELECT lower($1) AS t) AS s, generate_series(1, char_length(t)) AS i
  WHERE substr(t, i, 2) !~ '^\s'
$$;

CREATE OR REPLACE FUNCTION tracker_bigram_query(text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE
    WHEN char_length(t) = 0 THEN NULL
    WHEN char_length(t) = 1 THEN ('''' || replace(replace(t, '\', '\\'), '''', '''''') || ''':*')::tsquery
    ELSE (SELECT string_agg('''' || replace(replace(substr(t, i, 2), '\', '\\'), '''', '''''') || '''', ' & ')
          FROM generate_series(1, char_length(t) - 1) AS i)::tsquery
  END
  FROM (SELECT lower($1) AS t) AS s
$$;

CREATE INDEX IF NOT EXISTS proposal_search_bigrams ON proposals_proposal
  USING gin (tracker_bigrams("number" || ' ' || "title" || ' ' || "body"));
"""

REVERSE = """
DROP INDEX IF EXISTS proposal_search_bigrams;
DROP FUNCTION IF EXISTS tracker_bigram_query(text);
DROP FUNCTION IF EXISTS tracker_bigrams(text);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0004_paused_workdays")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

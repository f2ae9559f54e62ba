"""Similar titles by meaning (issue #28): the SQL function `intake_title_topics` (the topics of
intake/topics.py a title names) and a GiST index on the proposals' titles through it, so the index
search finds titles on the same matter written in other words. The score is computed in Python
(intake/similarity.py), so the combined score's SQL function of migration intake/0004 goes.

The vocabulary is read from intake/topics.py when this migration runs: a later change of the
vocabulary needs a migration that calls `create_function` again (a test checks SQL and Python agree).
PostgreSQL only: SQLite reads every title in Python."""

import importlib
import json

from django.db import migrations

from intake.topics import TOPIC_PATTERN, TOPIC_WORDS

INDEX = """
CREATE INDEX IF NOT EXISTS intake_proposal_title_topics_gist ON proposals_proposal
  USING gist (intake_title_topics(title) gist_trgm_ops);
"""
REVERSE = """
DROP INDEX IF EXISTS intake_proposal_title_topics_gist;
DROP FUNCTION IF EXISTS intake_title_topics(text);
"""


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def function_sql() -> str:
    """Mirrors intake.similarity.title_topics: the vocabulary's words found left to right, the longest
    at each place (PostgreSQL's regular expressions take the longest match, Python's the first
    alternative, and the alternatives are longest first), each mapped to its topic. About 0.1 ms a
    title; a loop over the words in PL/pgSQL took three times as long."""
    topic_of = json.dumps(dict(TOPIC_WORDS), ensure_ascii=False)
    return rf"""
CREATE OR REPLACE FUNCTION intake_title_topics(title text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
  SELECT coalesce(string_agg(DISTINCT {sql_text(topic_of)}::jsonb ->> found[1], ' '), '')
  FROM regexp_matches(
    regexp_replace(regexp_replace(regexp_replace(lower(title), '\W', '', 'g'), '^关于', ''), '(的)?(建议|提案|议案)$', ''),
    {sql_text('(' + TOPIC_PATTERN.pattern + ')')}, 'g') AS matched(found)
$$;
"""


def create_function(schema_editor):
    schema_editor.execute(function_sql())


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        create_function(schema_editor)
        schema_editor.execute(INDEX)
        schema_editor.execute("DROP FUNCTION IF EXISTS intake_similarity(text, text, text, text);")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)
        body_similarity = importlib.import_module("intake.migrations.0004_body_similarity")
        schema_editor.execute(body_similarity.SIMILARITY)


class Migration(migrations.Migration):
    dependencies = [("intake", "0005_remove_expired_uploads_schedule")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

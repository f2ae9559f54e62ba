"""Similar titles at review (docs/domain.md, intake): pg_trgm, the SQL function `intake_title_grams` and a
GiST index on the proposals' titles through it, named for intake. PostgreSQL only: SQLite compares
titles in Python (intake/similarity.py)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# Frozen here; intake/similarity.py mirrors it in Python (a test checks they agree). PL/pgSQL:
# eight times quicker than the same in one SQL statement; its high COST tells the planner to
# read the index rather than compute it for every row.
SQL_FUNCTION = r"""
CREATE OR REPLACE FUNCTION intake_title_grams(title text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
DECLARE
  core text;
  grams text := '';
BEGIN
  core := regexp_replace(
    regexp_replace(regexp_replace(regexp_replace(lower(title), '\W', '', 'g'), '^关于', ''), '(的)?(建议|提案|议案)$', ''),
    '(进一步|加强|推进|推动|促进|加快|完善|提升|优化|健全|建立|工作|问题|我市|我区|我县|我省|有关|相关)', '', 'g');
  IF char_length(core) < 2 THEN
    RETURN core;
  END IF;
  FOR i IN 1 .. char_length(core) - 1 LOOP
    grams := grams || substr(core, i, 2) || ' ';
  END LOOP;
  RETURN rtrim(grams);
END
$$;
"""

INDEX = """
CREATE INDEX IF NOT EXISTS intake_proposal_title_grams_gist ON proposals_proposal
  USING gist (intake_title_grams(title) gist_trgm_ops);
"""
REVERSE = """
DROP INDEX IF EXISTS intake_proposal_title_grams_gist;
DROP FUNCTION IF EXISTS intake_title_grams(text);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL_FUNCTION)
        schema_editor.execute(INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_clerk_permissions"), ("proposals", "0008_event_edit_action")]

    operations = [TrigramExtension(), migrations.RunPython(forwards, backwards, elidable=False)]

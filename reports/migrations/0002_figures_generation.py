"""The generation of the office figures (reports/cache.py): a sequence that every insert, update
or delete on a table the figures read advances, through a statement-level trigger, under a shared
advisory lock held until the writing transaction ends. PostgreSQL only; SQLite keeps no figures."""

from django.db import migrations

WRITE_LOCK = 72_030_025  # reports.cache.WRITE_LOCK
TABLES = ("proposals_proposal", "proposals_assignment", "proposals_communication", "proposals_agency",
          "proposals_meeting", "replies_reply", "replies_feedback", "replies_replycategory", "reports_scoreweights")

FUNCTION = f"""
CREATE SEQUENCE IF NOT EXISTS reports_figures_generation;
CREATE OR REPLACE FUNCTION reports_figures_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared({WRITE_LOCK});
  PERFORM nextval('reports_figures_generation');
  RETURN NULL;
END $$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_figures_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION reports_figures_changed()")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_figures_changed ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS reports_figures_changed(); DROP SEQUENCE IF EXISTS reports_figures_generation")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("proposals", "0011_event_actions_opinion_waiver_request"),
        ("replies", "0009_opinion_waiver_request"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

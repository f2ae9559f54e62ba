"""`tracker_bigrams` is declared expensive, as it is (about 5 ms for a 1,200-character body).

At the default cost PostgreSQL saw no reason to prefer the GIN index on a small table: it scanned
the 460 proposals of a young office and cut every body into pairs on each search (1.8 s), where
the index answers in tens of milliseconds. The planner now reads the index whatever the size.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER FUNCTION tracker_bigrams(text) COST 100000")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER FUNCTION tracker_bigrams(text) COST 100")


class Migration(migrations.Migration):
    dependencies = [("proposals", "0012_full_width_labels")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

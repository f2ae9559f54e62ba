"""Chinese keyword search on reply letters (docs/architecture.md, where code goes; the query side is tracker/search.py).

A GIN index on the letter's document number, title and body, through `tracker_bigrams`, the
function proposals/0005_search_bigrams installs. PostgreSQL only.
"""

from django.db import migrations

INDEX = """
CREATE INDEX IF NOT EXISTS reply_search_bigrams ON replies_reply
  USING gin (tracker_bigrams("document_number" || ' ' || "title" || ' ' || "body"));
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS reply_search_bigrams")


class Migration(migrations.Migration):
    dependencies = [
        ("replies", "0004_role_permissions"),
        ("proposals", "0005_search_bigrams"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

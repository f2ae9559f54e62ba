"""API tokens kept as digests: the clear keys of DRF's token table (rest_framework.authtoken, no
longer installed) are carried over as SHA-256 digests, so the apps signed in keep working, and
the table is dropped, so neither the database nor a backup holds a usable key."""

import hashlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


OLD_TABLE = "authtoken_token"


def digest_existing_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {OLD_TABLE}")
        rows = cursor.fetchall()
    ApiToken = apps.get_model("tracker", "ApiToken")
    ApiToken.objects.bulk_create(
        ApiToken(user_id=user_id, digest=hashlib.sha256(key.encode()).hexdigest(), created=created)
        for key, user_id, created in rows
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {OLD_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0003_clerks_see_login_lockouts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("digest", models.CharField(max_length=64, unique=True, verbose_name="令牌摘要")),
                ("created", models.DateTimeField(auto_now_add=True, verbose_name="签发时间")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="api_tokens",
                                           to=settings.AUTH_USER_MODEL, verbose_name="用户")),
            ],
            options={"verbose_name": "API 令牌", "verbose_name_plural": "API 令牌",
                     "indexes": [models.Index(fields=["user", "created"], name="api_tokens_of_user")]},
        ),
        migrations.RunPython(digest_existing_tokens, migrations.RunPython.noop),
    ]

"""Agencies entered before agencies started with duty keywords get the starting words of their kind
(intake/duty_defaults.py), as the seed_duty_keywords command gives them; none is overwritten."""

from django.db import migrations

from intake.duty_defaults import default_keywords_for


def forwards(apps, schema_editor):
    agency_model = apps.get_model("proposals", "Agency")
    duty_model = apps.get_model("intake", "AgencyDuty")
    have = set(duty_model.objects.values_list("agency_id", flat=True))
    duty_model.objects.bulk_create(
        duty_model(agency=agency, keywords="、".join(words))
        for agency in agency_model.objects.exclude(pk__in=have)
        if (words := default_keywords_for(agency.name))
    )


class Migration(migrations.Migration):
    dependencies = [("intake", "0006_title_topics")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

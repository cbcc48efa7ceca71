from django.db import migrations

from risks.taxonomy import ensure_categories


def seed_categories(apps, schema_editor):
    ensure_categories(apps.get_model("risks", "RiskCategory"))


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]

    operations = [migrations.RunPython(seed_categories, migrations.RunPython.noop)]

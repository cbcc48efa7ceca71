import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0003_text_limits_and_uk_formats"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddIndex(
            model_name="client",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("first_name"), name="gin_trgm_ops"
                ),
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("last_name"), name="gin_trgm_ops"
                ),
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("preferred_name"), name="gin_trgm_ops"
                ),
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("postcode"), name="gin_trgm_ops"
                ),
                django.contrib.postgres.indexes.OpClass(models.F("phone"), name="gin_trgm_ops"),
                django.contrib.postgres.indexes.OpClass(models.F("nhs_number"), name="gin_trgm_ops"),
                name="client_search_trgm_idx",
            ),
        ),
    ]

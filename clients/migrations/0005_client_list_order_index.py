from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0004_client_search_trigram_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="client", name="client_area_name_idx"),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(
                fields=["area", "last_name", "first_name", "id"], name="client_area_order_idx"
            ),
        ),
    ]

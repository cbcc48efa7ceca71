"""Create the role groups. Their permissions are kept in step after every migrate by
`roles.sync_role_groups_after_migrate`, because permissions exist only once their
models' migrations have run."""

from django.db import migrations

ROLES = ["volunteer", "coordinator", "team_leader", "mdt_chair", "clinician", "manager"]


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.get_or_create(name=role)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]

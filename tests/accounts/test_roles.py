import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from livingwell.accounts.roles import ROLE_PERMISSIONS, Role


def test_every_role_group_exists_with_its_permissions(db):
    for role in Role.values:
        group = Group.objects.get(name=role)
        permissions = group.permissions.select_related("content_type")
        held = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
        assert held == set(ROLE_PERMISSIONS[role]), role


def test_managers_may_view_organisations_and_volunteers_may_not(db, make_person):
    assert make_person(Role.MANAGER).has_perm("accounts.view_organisation")
    assert not make_person(Role.VOLUNTEER).has_perm("accounts.view_organisation")
    assert not make_person(Role.COORDINATOR).has_perm("accounts.change_area")


@pytest.mark.django_db(transaction=True)
def test_role_groups_survive_the_database_being_emptied():
    # Transactional tests empty every table afterwards; the groups must come back, or every
    # later test would run without roles.
    Group.objects.all().delete()
    call_command("flush", interactive=False, verbosity=0)
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_the_role_sync_does_not_depend_on_which_app_migrates_last(db):
    # post_migrate reaches only apps with a models module, in INSTALLED_APPS order: the sync
    # must hold when the accounts app's signal is the only one sent, with later apps'
    # permissions not yet created.
    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.db.models.signals import post_migrate

    Permission.objects.filter(content_type__app_label="risks").delete()
    for group in Group.objects.all():
        group.permissions.clear()

    accounts = apps.get_app_config("accounts")
    post_migrate.send(
        sender=accounts,
        app_config=accounts,
        verbosity=0,
        interactive=False,
        using="default",
        apps=apps,
        plan=[],
    )

    coordinator = Group.objects.get(name=Role.COORDINATOR)
    held = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in coordinator.permissions.select_related("content_type")
    }
    assert held == set(ROLE_PERMISSIONS[Role.COORDINATOR])
    assert "risks.add_service" in held

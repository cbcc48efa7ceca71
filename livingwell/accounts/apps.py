from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "livingwell.accounts"
    label = "accounts"
    verbose_name = "People and places"

    def ready(self) -> None:
        from livingwell.accounts import roles

        # Runs after every migrate and after the test runner's flush, so the role groups
        # and their permissions always exist, including for models added by later apps.
        post_migrate.connect(
            roles.sync_role_groups_after_migrate, sender=self, dispatch_uid="sync-role-groups"
        )

from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Success stories"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from stories.models import SuccessStory

        # Who changed a story's words or its status, and when, for when a published story
        # has to be explained or withdrawn.
        auditlog.register(SuccessStory)

        from livingwell.accounts.home import register_home_panel
        from stories import home

        register_home_panel(
            name="stories.to_approve",
            template="stories/home/to_approve.html",
            context=home.to_approve_panel,
            order=50,
        )

from django.contrib import admin

from livingwell.readonly_admin import ReadOnlyAdmin
from stories.models import StoryDigest, SuccessStory


# Stories change only through the services, which check who may approve them and that they
# name nobody; the admin shows them.
@admin.register(SuccessStory)
class SuccessStoryAdmin(ReadOnlyAdmin):
    list_display = ("title", "area", "status", "written_by", "approved_by", "published_at")
    list_filter = ("status", "area")
    list_select_related = ("area", "written_by", "approved_by")
    search_fields = ("title",)


@admin.register(StoryDigest)
class StoryDigestAdmin(ReadOnlyAdmin):
    list_display = ("volunteer", "week_starting", "stories", "sent_at")
    list_select_related = ("volunteer",)
    date_hierarchy = "week_starting"

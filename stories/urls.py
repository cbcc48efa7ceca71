from django.urls import path, re_path

from stories import views

app_name = "stories"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("review/", views.review, name="review"),
    path("new/", views.story_new, name="new"),
    path("<int:pk>/", views.story_detail, name="detail"),
    path("<int:pk>/edit/", views.story_edit, name="edit"),
    re_path(
        r"^(?P<pk>[0-9]+)/(?P<action>submit|publish|withdraw)/$", views.story_transition, name="transition"
    ),
]

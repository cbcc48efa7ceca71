from django.urls import path

from clients import views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_create, name="create"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
    path("<int:pk>/consent/new/", views.consent_new, name="consent_new"),
    path("<int:pk>/allocate/", views.allocate, name="allocate"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("allocations/<int:pk>/end/", views.allocation_end, name="allocation_end"),
]

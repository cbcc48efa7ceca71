from django.urls import path

from livingwell.offline import api, views

app_name = "offline"

urlpatterns = [
    path("", views.no_signal, name="page"),
    path("report/", views.report_form, name="report_form"),
    path("waiting/", views.waiting, name="waiting"),
    path("data/", api.phone_data, name="data"),
    path("forget/", api.forget_this_phone, name="forget"),
]

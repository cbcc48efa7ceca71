"""The project's URLconf with one more route that the matrix has no row for."""

from django.http import HttpResponse
from django.urls import path

from livingwell.urls import handler403, handler404, handler500  # noqa: F401
from livingwell.urls import urlpatterns as project_urlpatterns


def dummy(request):
    return HttpResponse("A page nobody wrote rows for.")


urlpatterns = [path("dummy-without-rows/", dummy, name="dummy_without_rows"), *project_urlpatterns]

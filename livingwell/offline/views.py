"""The installable web app: its manifest, its service worker and the pages it keeps for
when there is no signal."""

from django.http import HttpResponse


def no_signal(request):
    return HttpResponse(status=501)


def report_form(request):
    return HttpResponse(status=501)


def waiting(request):
    return HttpResponse(status=501)


def manifest(request):
    return HttpResponse(status=501)


def service_worker(request):
    return HttpResponse(status=501)

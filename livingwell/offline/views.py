"""The installable web app: its manifest, its service worker and the pages it keeps for
when there is no signal.

The kept pages are drawn without the request, so they hold nothing about whoever happened
to be signed in when the phone fetched them (no name in the header, no flash message taken
from their next page, no CSRF token): the names of a volunteer's clients are kept apart, in
IndexedDB, where signing out removes them."""

from __future__ import annotations

import functools
import hashlib
import json

from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from clients.models import Client
from risks.forms import ReportConcernForm, report_form_version
from risks.models import RiskCategory

THEME_COLOUR = "#0b5563"
# What the service worker keeps so that the report form opens with no signal.
KEPT_STATIC_FILES = (
    "vendor/bootstrap-5.3.9/css/bootstrap.min.css",
    "css/livingwell.css",
    "js/livingwell.js",
    "js/char-counter.js",
    "js/report-concern.js",
    "js/offline-store.js",
    "js/offline.js",
    "js/report-offline.js",
    "img/favicon.svg",
    "img/app-icon-192.png",
    "img/app-icon-512.png",
    "img/app-icon-maskable-512.png",
)
KEPT_PAGES = ("offline:page", "offline:report_form", "offline:waiting", "manifest")


@require_safe
def manifest(request):
    icon = functools.partial(dict, type="image/png")
    response = JsonResponse(
        {
            "id": "/",
            "name": "Living Well",
            "short_name": "Living Well",
            "description": "Report a concern about someone you visit, even with no signal.",
            "start_url": reverse("home"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": THEME_COLOUR,
            "icons": [
                icon(src=static("img/app-icon-192.png"), sizes="192x192", purpose="any"),
                icon(src=static("img/app-icon-512.png"), sizes="512x512", purpose="any"),
                icon(src=static("img/app-icon-maskable-512.png"), sizes="512x512", purpose="maskable"),
            ],
        },
        content_type="application/manifest+json",
    )
    patch_cache_control(response, no_cache=True)
    return response


@require_safe
def service_worker(request):
    kept = [reverse(name) for name in KEPT_PAGES] + [static(path) for path in KEPT_STATIC_FILES]
    response = HttpResponse(
        render_to_string(
            "offline/sw.js",
            {
                "settings": json.dumps(
                    {
                        "version": _version(),
                        "kept": kept,
                        "reportForm": reverse("risks:new"),
                        "myConcerns": reverse("risks:mine"),
                        "noSignal": reverse("offline:page"),
                        "keptReportForm": reverse("offline:report_form"),
                        "keptWaiting": reverse("offline:waiting"),
                        "staticPrefix": static(""),
                    }
                ),
                "store_script": json.dumps(static("js/offline-store.js")),
            },
        ),
        content_type="text/javascript; charset=utf-8",
    )
    # The browser asks for this file again to find a new version: never from a cache.
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


def _version() -> str:
    """Changes whenever anything the service worker keeps would change: the static files it
    keeps, or the kept pages (the categories' guidance is drawn into the report form)."""
    digest = hashlib.sha256(_static_files_digest().encode())
    digest.update(_report_form_page().encode())
    digest.update(_page("offline/no_signal.html").encode())
    digest.update(_page("offline/waiting.html").encode())
    return digest.hexdigest()[:16]


@functools.cache
def _static_files_digest() -> str:
    digest = hashlib.sha256()
    for path in (*KEPT_STATIC_FILES, "js/offline-store.js"):
        digest.update(static(path).encode())
        with open(finders.find(path), "rb") as kept_file:
            digest.update(kept_file.read())
    return digest.hexdigest()


def _page(template: str, **context) -> str:
    return render_to_string(template, {"offline_app": True, "shell": True, **context})


def _report_form_page() -> str:
    categories = list(RiskCategory.objects.all())
    # No one's clients and no key: the phone fills in the clients it keeps, and makes a new
    # key for each report (a key drawn here would be shared by every report sent from it).
    form = ReportConcernForm(
        user=None, categories=categories, initial={"submission_key": "", "observed_at": ""}
    )
    form.fields["client"].queryset = Client.objects.none()
    return _page(
        "risks/report_form.html",
        form=form,
        categories=categories,
        form_version=report_form_version(categories),
        title="Report a concern",
    )


def _kept_page(html: str) -> HttpResponse:
    response = HttpResponse(html)
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


@require_safe
def no_signal(request):
    return _kept_page(_page("offline/no_signal.html"))


@require_safe
def report_form(request):
    return _kept_page(_report_form_page())


@require_safe
def waiting(request):
    return _kept_page(_page("offline/waiting.html"))

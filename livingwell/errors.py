"""Error pages in the product's own style, each saying what to do next."""

import sys

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views import defaults

# The database could not be reached (restarting, failing over, the network): a short
# wait usually fixes it, so people are told so, with 503 and Retry-After, not "went wrong".
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60


def database_unavailable_in(exception: BaseException | None) -> bool:
    """Whether the database being unreachable is behind `exception`: Django reports a session
    it could not save as a bad request (SessionInterrupted, from UpdateError), whatever the
    cause."""
    while exception is not None:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return True
        exception = exception.__cause__ or exception.__context__
    return False


def try_again_in_a_minute() -> HttpResponse:
    return HttpResponse(
        loader.get_template("503.html").render(),
        status=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def bad_request(request, exception=None):
    if database_unavailable_in(exception):
        return try_again_in_a_minute()
    if request.get_preferred_type(["text/html", "application/json"]) == "application/json":
        # The phone's JavaScript shows `message` and keeps the report: an HTML page here
        # would read as no answer, and the phone would try the same report for ever.
        return JsonResponse({"errors": {}, "message": _why_unreadable(exception)}, status=400)
    return defaults.bad_request(request, exception)


def _why_unreadable(exception) -> str:
    if isinstance(exception, RequestDataTooBig):
        return (
            "This report is too long to send. Shorten what you wrote, "
            "or phone your coordinator and tell them."
        )
    return "This report could not be read. Phone your coordinator and tell them what you saw."


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a request context: whatever failed may be in a context processor,
    # or be the database itself. Django calls this while handling the exception.
    if database_unavailable_in(sys.exc_info()[1]):
        return try_again_in_a_minute()
    return HttpResponseServerError(loader.get_template("500.html").render())

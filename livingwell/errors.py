"""Error pages in the product's own style, each saying what to do next."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

# The database could not be reached (restarting, failing over, the network): a short
# wait usually fixes it, so people are told so, with 503 and Retry-After, not "went wrong".
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a request context: whatever failed may be in a context processor,
    # or be the database itself. Django calls this while handling the exception.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return HttpResponse(
            loader.get_template("503.html").render(),
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return HttpResponseServerError(loader.get_template("500.html").render())

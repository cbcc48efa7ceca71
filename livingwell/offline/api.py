"""What a volunteer's phone keeps for reporting with no signal, and removing it.

The phone's JavaScript calls these with `fetch`: a redirect to the sign-in page would reach
it as a page of HTML, so being signed out or in the wrong role is answered in JSON."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from livingwell.accounts.decorators import volunteer_json_required
from livingwell.accounts.roles import Role
from livingwell.accounts.views import CLEAR_SITE_DATA
from livingwell.offline import selectors

FORGOTTEN = "Everything Living Well kept on this phone has been removed."


@require_GET
@volunteer_json_required
def phone_data(request):
    data = selectors.phone_data_for(request.user)
    # Sent with each refresh: a report kept on the phone is sent with the token of the
    # session it is sent in, which may not be the one it was written in.
    data["csrf_token"] = get_token(request)
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store, private"
    return response


@require_POST
@login_required
def forget_this_phone(request):
    messages.success(request, FORGOTTEN)
    response = redirect("volunteers:me" if request.user.has_role(Role.VOLUNTEER) else "home")
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response

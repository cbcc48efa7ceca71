from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse

from livingwell.accounts.roles import Role


def role_required(*roles: str):
    """Signed-in people holding one of `roles`; everybody else gets 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Answers for pages called by JavaScript (`fetch`), where a redirect to the sign-in page
# would arrive as a page of HTML.
SIGN_IN_AGAIN = "Please sign in again."
ONLY_VOLUNTEERS = "Only volunteers can report concerns from their phone."


def volunteer_json_required(view):
    """Signed-in volunteers only; anybody else is answered in JSON: 401 when signed out
    (the phone keeps what it holds and asks them to sign in), 403 in another role."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"message": SIGN_IN_AGAIN}, status=401)
        if not request.user.has_role(Role.VOLUNTEER):
            return JsonResponse({"message": ONLY_VOLUNTEERS}, status=403)
        return view(request, *args, **kwargs)

    return wrapped

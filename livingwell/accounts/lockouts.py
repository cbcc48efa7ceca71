"""Sign-in lockouts: django-axes locks a username at an address after AXES_FAILURE_LIMIT
failures; this also locks an address as a whole, whatever usernames were tried from it,
after the higher AXES_ADDRESS_FAILURE_LIMIT (someone trying one password against many
accounts). The limit is higher because many honest people can share an address: a GP
practice or an office behind one router."""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AddressLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The failures axes counts for this username at this address, or, once the address
        as a whole has passed its own limit, the lockout limit itself: axes then locks and
        logs the lockout as it does any other."""
        failures = super().get_failures(request, credentials)
        if self.address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    @staticmethod
    def address_failures(request) -> int:
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

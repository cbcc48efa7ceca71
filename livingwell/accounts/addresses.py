"""The address a request came from, as sign-in throttling and password-reset limits see it.

Behind the TLS proxy that the README's production section describes, every request
arrives from the proxy: `REMOTE_ADDR` is the proxy's own address. Each proxy appends the
address that connected to it to `X-Forwarded-For`, so with TRUSTED_PROXY_COUNT proxies in
front of the application the client is that many entries from the right. Entries further
left were written by whoever sent the request and prove nothing: a client can put any
address there."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < trusted:
        # Not through every proxy we trust (a request straight to the application): what
        # it says of itself is not evidence.
        return remote
    candidate = forwarded[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote

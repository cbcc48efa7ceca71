"""A person's browser, reduced to what the benchmark needs: one kept-alive connection,
the cookies the site sets, and the fields of a form read from the page."""

from __future__ import annotations

import html
import http.client
import re
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HIDDEN = re.compile(r'<input\b[^>]*\bname="(csrfmiddlewaretoken|submission_key)"[^>]*\bvalue="([^"]*)"', re.I)
INPUT_VALUE = r'<input\b[^>]*\bname="{name}"[^>]*\bvalue="([^"]*)"'


class Browser:
    def __init__(self, port: int, timeout: float = 30.0):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method: str, path: str, fields: dict | None = None) -> tuple[int, str, str, float]:
        """(status, Location, body, seconds taken)."""
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.headers.get("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, response.headers.get("Location", ""), text, elapsed

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, fields: dict):
        return self.request("POST", path, fields)

    def sign_in(
        self, username: str, password: str, second_step_code: Callable[[], str] | None = None
    ) -> bool:
        """Signs in with the password and, when the site asks for the second step, types the
        code `second_step_code` gives."""
        status, _, page, _ = self.get("/accounts/login/")
        if status != 200:
            return False
        fields = {"username": username, "password": password, **hidden_fields(page)}
        status, location, _, _ = self.post("/accounts/login/", fields)
        if status != 302 or "login" in location:
            return False
        # The page after the password asks for the second step of those who need one.
        status, location, _, _ = self.get(location)
        if status == 302 and location.startswith("/accounts/two-step/"):
            if second_step_code is None:
                return False
            status, _, page, _ = self.get(location)
            status, location, _, _ = self.post(location, {**hidden_fields(page), "code": second_step_code()})
            return status == 302 and not location.startswith("/accounts/two-step/")
        return status == 200

    def close(self):
        self.connection.close()


def hidden_fields(page: str) -> dict[str, str]:
    """The CSRF token and one-time submission key of the (first) form on the page."""
    found: dict[str, str] = {}
    for name, value in HIDDEN.findall(page):
        found.setdefault(name, html.unescape(value))
    return found


def input_value(page: str, name: str) -> str | None:
    match = re.search(INPUT_VALUE.format(name=re.escape(name)), page, re.I)
    return html.unescape(match.group(1)) if match else None


def options(page: str, select_name: str) -> list[str]:
    """The non-empty option values of a <select>."""
    match = re.search(
        rf'<select\b[^>]*\bname="{re.escape(select_name)}"[^>]*>(.*?)</select>', page, re.S | re.I
    )
    if not match:
        return []
    return [html.unescape(value) for value in re.findall(r'<option\b[^>]*value="([^"]+)"', match.group(1))]


def radio_values(page: str, name: str) -> list[str]:
    return [
        html.unescape(value)
        for value in re.findall(rf'<input\b[^>]*\bname="{re.escape(name)}"[^>]*\bvalue="([^"]*)"', page, re.I)
    ]

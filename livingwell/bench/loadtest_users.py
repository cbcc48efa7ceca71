"""The people of `make loadtest`, as locust users. Run by locust in a process of its own
(gevent's patching breaks a process that has loaded Django), so this file imports nothing
from the project: what it needs comes from the files the driver writes
(livingwell/bench/loadtest.py), named by environment variables.

- VolunteerUser: reports concerns through the real form (its CSRF token and one-time
  submission key), reads My concerns and a client's visit page. A report answered with
  anything but the redirect to the new concern is sent again with the same key, as the
  "Please try again in a minute" page asks; the key of every acknowledged report is
  written down, with the concern it made, for the driver to find in the database.
- CoordinatorUser: signs in with password and authenticator code, reads the triage list,
  takes a concern and records its outcome, which sends the volunteer good news.

Every response is written to a log (start, seconds, page kind, status), and every error
page (4xx, 5xx) is checked: the driver's checks read both."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import itertools
import json
import os
import random
import re
import struct
import time

from locust import HttpUser, between, events, task

CONFIG = json.loads(open(os.environ["LOADTEST_ACCOUNTS"]).read())  # noqa: SIM115 - read once at start
OUTPUT = os.environ["LOADTEST_OUTPUT"]

HIDDEN = re.compile(r'<input\b[^>]*\bname="(csrfmiddlewaretoken|submission_key)"[^>]*\bvalue="([^"]*)"', re.I)
CONCERN_LINK = re.compile(r'href="/risks/(\d+)/"')
ACKNOWLEDGED = re.compile(r"/risks/(\d+)/$")
RETRY_PAGE = "Please try again in a minute"
# What Django's technical error page or a bare traceback would show: never to be sent.
TRACEBACK_SIGNS = ("Traceback (most recent call last)", 'id="traceback"', "Exception Value:")

# Each user takes the next account of its kind (gevent runs one greenlet at a time).
_next_volunteer = itertools.count()
_next_coordinator = itertools.count()


def _append(name: str, line: str) -> None:
    with open(os.path.join(OUTPUT, name), "a") as file:
        file.write(line + "\n")


@events.test_start.add_listener
def _started(**_kwargs):
    _append("started", f"{time.time():.3f}")


@events.request.add_listener
def _log_request(name, response_time, response, exception, start_time=None, **_kwargs):
    """One line a response: when it was sent and how long it took (s), its page kind, its
    status (0: no answer at all). A server error's page is checked here, once."""
    status = getattr(response, "status_code", 0) or 0
    started = start_time if start_time is not None else time.time() - response_time / 1000
    _append("requests.log", f"{started:.3f} {response_time / 1000:.4f} {name.replace(' ', '_')} {status}")
    if status >= 400 or (exception is not None and not status):
        text = getattr(response, "text", "") or ""
        _append(
            "error_pages.jsonl",
            json.dumps(
                {
                    "at": started + response_time / 1000,
                    "name": name,
                    "status": status,
                    "retry_page": RETRY_PAGE in text,
                    "retry_after": (getattr(response, "headers", None) or {}).get("Retry-After", ""),
                    "traceback": any(sign in text for sign in TRACEBACK_SIGNS),
                    "error": "" if exception is None else f"{type(exception).__name__}: {exception}"[:300],
                }
            ),
        )


def hidden_fields(page: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in HIDDEN.findall(page):
        found.setdefault(name, html.unescape(value))
    return found


def select_options(page: str, name: str) -> list[str]:
    match = re.search(rf'<select\b[^>]*\bname="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S | re.I)
    if not match:
        return []
    return [html.unescape(value) for value in re.findall(r'<option\b[^>]*value="([^"]+)"', match.group(1))]


def input_values(page: str, name: str) -> list[str]:
    pattern = rf'<input\b[^>]*\bname="{re.escape(name)}"[^>]*\bvalue="([^"]*)"'
    return [html.unescape(value) for value in re.findall(pattern, page, re.I)]


def totp(secret: str, step: int) -> str:
    """The six-digit code an authenticator app shows in 30-second step `step` (RFC 6238)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


class VolunteerUser(HttpUser):
    # Reading a page and filling in a form take a person a while; even so, a far busier
    # day than a real one.
    wait_time = between(*CONFIG["volunteer_pause_seconds"])

    def on_start(self):
        account = CONFIG["volunteers"][next(_next_volunteer) % len(CONFIG["volunteers"])]
        self.username = account["username"]
        self.clients = account["clients"]
        # Signed in earlier in the day: the session the driver made for this volunteer.
        self.client.cookies.set(CONFIG["session_cookie"], account["session"])
        # People do not all click at the same moment the load begins.
        time.sleep(random.uniform(0, CONFIG["arrival_seconds"]))

    @task(3)
    def report_a_concern(self):
        with self.client.get("/risks/new/", name="report form", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"report form answered {response.status_code}")
                return
            page = response.text
        clients = select_options(page, "client")
        severities = [value for value in input_values(page, "severity") if value in ("low", "medium")]
        fields = {
            **hidden_fields(page),
            "observed_at": (input_values(page, "observed_at") or [""])[0],
            "client": random.choice(clients) if clients else "",
            "category": (select_options(page, "category") or [""])[0],
            "severity": random.choice(severities) if severities else "low",
            "what_was_seen": "She seemed more unsteady on her feet than last week.",
            "action_taken": "",
            "client_wishes": "",
        }
        key = fields.get("submission_key", "")
        # The form is sent until the server acknowledges it, with the same key each time.
        for attempt in range(CONFIG["report_attempts"]):
            if attempt:
                time.sleep(CONFIG["retry_wait_seconds"])
            with self.client.post(
                "/risks/new/", data=fields, name="report send", allow_redirects=False, catch_response=True
            ) as response:
                found = ACKNOWLEDGED.search(response.headers.get("Location", ""))
                if response.status_code == 302 and found:
                    _append("acknowledged.log", f"{key} {found.group(1)} {self.username}")
                    return
                response.failure(f"report answered {response.status_code}")
                if response.status_code not in (0, 502, 503, 504):
                    _append("unanswered.log", f"{key} {response.status_code} {self.username}")
                    return
        _append("unanswered.log", f"{key} gave-up {self.username}")

    @task(2)
    def my_concerns(self):
        self._read("/risks/mine/", "my concerns")

    @task(2)
    def visit_page(self):
        if self.clients:
            self._read(f"/clients/{random.choice(self.clients)}/", "visit page")

    def _read(self, path: str, name: str):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{name} answered {response.status_code}")


class CoordinatorUser(HttpUser):
    # Working through a queue: quicker than a volunteer between pages.
    wait_time = between(1, 3)
    fixed_count = CONFIG["coordinator_users"]

    def on_start(self):
        account = CONFIG["coordinators"][next(_next_coordinator) % len(CONFIG["coordinators"])]
        self.account = account
        self.signed_in = False
        self.last_step = 0
        self.sign_in(account)

    def sign_in(self, account: dict):
        self.client.cookies.clear()
        response = self.client.get("/accounts/login/", name="sign in form")
        if response.status_code != 200:
            return
        response = self.client.post(
            "/accounts/login/",
            data={
                "username": account["username"],
                "password": account["password"],
                **hidden_fields(response.text),
            },
            name="sign in",
            allow_redirects=False,
        )
        if response.status_code != 302:
            return
        response = self.client.get(response.headers["Location"], name="second step form")
        if response.status_code != 200 or "code" not in response.text:
            return
        # A code is accepted once: after this user's last one, the next step's (the server
        # allows one step of clock difference), or wait for the step to turn.
        step = max(int(time.time() // 30), self.last_step + 1)
        while step > int(time.time() // 30) + 1:
            time.sleep(1)
        self.last_step = step
        response = self.client.post(
            response.url,
            data={**hidden_fields(response.text), "code": totp(CONFIG["second_step_secret"], step)},
            name="second step",
            allow_redirects=False,
        )
        self.signed_in = response.status_code == 302 and "/accounts/" not in response.headers.get(
            "Location", ""
        )

    @task
    def triage_and_record_an_outcome(self):
        if not self.signed_in:
            self.sign_in(self.account)
            return
        response = self.client.get("/risks/queue/?status=reported", name="triage queue")
        if response.status_code != 200:
            return
        concerns = CONCERN_LINK.findall(response.text)
        if not concerns:
            return
        concern = random.choice(concerns)
        response = self.client.get(f"/risks/{concern}/", name="concern")
        if response.status_code != 200 or f"/risks/{concern}/triage/" not in response.text:
            return  # someone else took it first
        self.client.post(
            f"/risks/{concern}/triage/",
            data={**hidden_fields(response.text), "note": ""},
            name="triage",
            allow_redirects=False,
        )
        response = self.client.get(f"/risks/{concern}/", name="concern")
        kinds = select_options(response.text, "kind")
        if (
            response.status_code != 200
            or f"/risks/{concern}/record_outcome/" not in response.text
            or not kinds
        ):
            return
        response = self.client.post(
            f"/risks/{concern}/record_outcome/",
            data={
                **hidden_fields(response.text),
                "kind": random.choice(kinds),
                "staff_summary": "The falls team visited and fitted a rail by the stairs.",
                "volunteer_message": "Thank you: the falls team came and she has a rail by the stairs now.",
            },
            name="record outcome",
            allow_redirects=False,
        )
        if response.status_code == 302:
            _append("outcomes_sent.log", f"{concern} {self.account['username']}")

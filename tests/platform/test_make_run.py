"""`make run` as a person uses it: start it, sign in as every demo account, press Ctrl-C,
and find nothing left running."""

import http.cookiejar
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django_otp.oath import TOTP

from livingwell.accounts.second_factor import key_from_secret
from tests.support.processes import ROOT, free_port, wait_for

DEMO_ACCOUNTS = ["vera", "victor", "cora", "tom", "drchen", "mona", "admin"]
# Set for the test run; `make run` must work without them, as on a developer's machine.
TEST_ENVIRONMENT = [
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "STATIC_ROOT",
    "STATIC_MANIFEST",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
]


@pytest.fixture
def data_dir():
    # Not pytest's tmp_path: the postgres user must be able to enter the folder.
    folder = Path(tempfile.mkdtemp(prefix="livingwell-run-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def fetch(opener, url, data=None):
    try:
        with opener.open(url, data=data, timeout=10) as response:
            return response.status, response.geturl(), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode()
    except OSError:
        return None, url, ""


def sign_in(base: str, username: str, password: str) -> tuple[str, str]:
    cookies = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    fetch(opener, f"{base}/accounts/login/")
    token = next(cookie.value for cookie in cookies if cookie.name == "csrftoken")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    _, final_url, page = fetch(
        opener,
        urllib.request.Request(
            f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}
        ),
    )
    if "/accounts/two-step/" in final_url:
        # Staff type the code of the demo key that the README publishes.
        token = next(cookie.value for cookie in cookies if cookie.name == "csrftoken")  # new at sign-in
        form = urllib.parse.urlencode({"code": demo_code(), "csrfmiddlewaretoken": token}).encode()
        _, final_url, page = fetch(
            opener, urllib.request.Request(final_url, data=form, headers={"Referer": final_url})
        )
    return final_url, page


def demo_code() -> str:
    totp = TOTP(bytes.fromhex(key_from_secret(settings.DEMO_SECOND_FACTOR_SECRET)))
    totp.time = time.time()
    return f"{totp.token():06d}"


def session_processes(session_id: int) -> list[str]:
    listing = subprocess.run(["ps", "-eo", "sid=,args="], capture_output=True, text=True).stdout
    return [line for line in listing.splitlines() if line.split(None, 1)[0] == str(session_id)]


def test_make_run_serves_the_demo_and_ctrl_c_stops_everything(data_dir):
    port, redis_port = free_port(), free_port()
    env = {key: value for key, value in os.environ.items() if key not in TEST_ENVIRONMENT}
    env.update(
        PORT=str(port),
        LW_PG_PORT=str(free_port()),
        LW_REDIS_PORT=str(redis_port),
        LW_DATA_DIR=str(data_dir),
        DEMO_PASSWORD="a-demo-password-for-this-test",
    )
    log_path = data_dir / "run.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            ["make", "run"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener()
    try:
        wait_for(
            lambda: fetch(opener, f"{base}/healthz")[0] == 200 or process.poll() is not None,
            180,
            "make run to serve /healthz",
        )
        assert process.poll() is None, log_path.read_text()[-4000:]
        status, _, body = fetch(opener, f"{base}/healthz")
        assert json.loads(body) == {"database": "ok", "broker": "ok"}

        status, _, page = fetch(opener, f"{base}/accounts/login/")
        assert status == 200
        assert "Sign in to Living Well" in page

        for username in DEMO_ACCOUNTS:
            final_url, page = sign_in(base, username, "a-demo-password-for-this-test")
            assert final_url == f"{base}/", (username, final_url)
            assert "Hello," in page, username

        wait_for(lambda: "ready." in log_path.read_text(), 60, "the Celery worker to be ready")
        wait_for(lambda: "beat: Starting..." in log_path.read_text(), 60, "Celery beat to start")
        output = log_path.read_text()
        assert f"http://127.0.0.1:{port}/" in output
        assert "a-demo-password-for-this-test" in output  # the banner names the demo password
        assert settings.DEMO_SECOND_FACTOR_SECRET in output  # and the demo key
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends
        try:
            process.wait(90)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise

    wait_for(lambda: not session_processes(process.pid), 30, "every process make run started to stop")
    assert not (data_dir / "postgres" / "pgdata" / "postmaster.pid").exists(), "PostgreSQL still running"
    assert not (data_dir / "redis" / "redis.pid").exists(), "Redis still running"
    assert fetch(opener, f"{base}/healthz")[0] is None, "the web server is still answering"

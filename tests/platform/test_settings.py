"""Start-up checks, run as a deployment would run them: in a fresh process."""

import os
import re
import secrets
import subprocess

from tests.support.processes import ROOT, run_manage

# What the test environment sets that a production deployment would not.
TEST_ONLY = [
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "STATIC_MANIFEST",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in TEST_ONLY}
    environment.update(env)
    return run_manage(*args, env=environment)


def test_production_without_a_secret_key_refuses_to_start_and_says_why():
    result = manage("check", DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr


def test_deployment_checks_report_nothing_the_readme_does_not_explain():
    result = manage(
        "check",
        "--deploy",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="livingwell.example.org",
    )
    assert result.returncode == 0, result.stderr
    reported = set(re.findall(r"\((\w+\.[EW]\d+)\)", result.stderr + result.stdout))
    readme = (ROOT / "README.md").read_text()
    for check_id in reported:
        assert check_id in readme, f"{check_id} is reported by check --deploy but not explained in the README"
    assert reported <= {"security.W021"}, reported


def test_deployment_checks_pass_outright_once_hsts_preload_is_chosen():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="livingwell.example.org",
        SECURE_HSTS_PRELOAD="true",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_only_postgresql_is_accepted():
    result = manage("check", DEBUG="true", DATABASE_URL="sqlite:////tmp/livingwell.sqlite3")
    assert result.returncode != 0
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr


def test_connections_are_health_checked(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_celery_is_set_up_so_a_killed_worker_loses_no_task(settings):
    from livingwell.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] >= 3600


def test_every_page_turns_off_the_camera_microphone_and_location(client):
    # A page and the health check probed by load balancers: every response carries it.
    for url in ("/accounts/login/", "/healthz"):
        policy = client.get(url)["Permissions-Policy"]
        features = dict(item.strip().split("=") for item in policy.split(","))
        for feature in ("camera", "microphone", "geolocation"):
            assert features[feature] == "()", (url, policy)

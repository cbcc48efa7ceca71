import json
import os
import subprocess
import sys

from django.test import override_settings

from tests.support.processes import ROOT, free_port


def test_healthz_reports_database_and_broker_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_needs_no_sign_in_and_answers_over_plain_http(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200


@override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0")
def test_healthz_is_503_when_the_broker_does_not_answer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "unavailable"}


def test_healthz_is_503_when_the_database_does_not_answer(db, tmp_path):
    script = (
        "from django.test import Client\n"
        "r = Client().get('/healthz', HTTP_HOST='127.0.0.1')\n"
        "print(r.status_code, r.content.decode())\n"
    )
    # A socket folder where no PostgreSQL listens.
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@/livingwell?host={tmp_path}&port=5999"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {"database": "unavailable", "broker": "ok"}

"""The Celery application: worker and beat read their settings from Django's."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livingwell.settings")

app = Celery("livingwell")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

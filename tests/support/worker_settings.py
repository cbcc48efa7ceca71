"""Settings for the Celery workers that tests start: the project's own, except that a
message whose worker died is handed out again within about a second of its visibility
timeout, instead of on kombu's default check every 10 x 10 seconds. A test can then wait
for the redelivery itself rather than guess how long it takes."""

from livingwell.settings import *  # noqa: F403
from livingwell.settings import CELERY_BROKER_TRANSPORT_OPTIONS

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "unacked_restore_interval": 1,  # seconds between checks for abandoned messages
    "unacked_restore_throttle": 1,  # look in Redis on every check, not every tenth
}

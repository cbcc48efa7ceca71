"""Living Well settings: one file, configured from environment variables.

Every setting a deployment may change is read here with django-environ. The
README lists them; `scripts/run.sh` and `scripts/test.sh` set the ones that
development and tests need.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local `.env` is a convenience for developers; real deployments set the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            'string (for example the output of: python -c "import secrets; '
            'print(secrets.token_urlsafe(50))"), or set DEBUG=true for development.'
        )
    SECRET_KEY = "development-only-key-never-use-in-production-3f9a1c7e5b"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "guardian",
    "auditlog",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "livingwell.accounts",
    "livingwell.notifications",
    "livingwell.submissions",
    "livingwell.backups",
    "volunteers",
    "clients",
    "risks",
    "meetings",
    "stories",
    "livingwell.reports",
    "livingwell.records",
    "livingwell.offline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "livingwell.accounts.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "livingwell.accounts.middleware.NoStoreForSignedInMiddleware",
    "livingwell.accounts.middleware.AbsoluteSessionLimitMiddleware",
    # After the session limits: a session that has ended is not asked for a code.
    "livingwell.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, so that it sees the response of every view (django-axes requirement).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "livingwell.urls"
WSGI_APPLICATION = "livingwell.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "livingwell.accounts.context_processors.navigation",
                "livingwell.notifications.context_processors.unread_notifications",
                "livingwell.offline.context_processors.offline_app",
            ],
            "libraries": {"form_html": "livingwell.form_html"},
        },
    },
]

# PostgreSQL is the only database this product supports.
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/livingwell")}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...).")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Where `manage.py backup` (`make backup`) writes its pg_dump files. They hold everything the
# database holds, health information included: keep the folder private to the service's
# user, encrypted at rest, and copied off the machine (README, "Backups").
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(BASE_DIR / ".data" / "backups")))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "livingwell.accounts.password_validation.ProgrammeWordsValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without activity and, whatever the activity,
# 12 hours after sign-in (OWASP ASVS 3.3.2): these are shared devices in people's homes.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
# IdleSessionMiddleware extends the session at most once a minute rather than writing it on
# every request. Sessions stay in PostgreSQL: a cache-only store would sign everybody out
# when Redis restarts (it is only the task broker here), and cached_db still writes through
# to the database on every save, which is the cost this avoids.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: lock an account and address pair after repeated failed sign-ins.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=8)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# An address is locked too, whatever usernames were tried from it, after more failures.
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=40)
AXES_HANDLER = "livingwell.accounts.lockouts.AddressLockoutHandler"
# The client's address behind TRUSTED_PROXY_COUNT proxies that each append to
# X-Forwarded-For (livingwell/accounts/addresses.py); 0 when nothing is in front.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "livingwell.accounts.addresses.client_address"
# Two-step sign-in (django-otp): an authenticator app's six-digit code, or a single-use
# backup code, after the password; required of every role but volunteers
# (livingwell/accounts/second_factor.py). django-otp's own slowing-down after each wrong
# code is off: instead SECOND_FACTOR_FAILURE_LIMIT wrong codes in a row lock the person's
# codes for SECOND_FACTOR_LOCK_MINUTES, however many times they sign in again.
OTP_TOTP_ISSUER = "Living Well"
# Administrators may remove a lost phone's app, but never see anyone's key or backup codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
SECOND_FACTOR_FAILURE_LIMIT = env.int("SECOND_FACTOR_FAILURE_LIMIT", default=8)
SECOND_FACTOR_LOCK_MINUTES = env.int("SECOND_FACTOR_LOCK_MINUTES", default=15)
# Password-reset emails one address, and one email address, may ask for in an hour.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=10)
PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_LIMIT_PER_EMAIL", default=3)

# django-guardian: no anonymous user row, object permissions are for signed-in people.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Hashed, compressed file names in production; plain names where collectstatic has
# not been run (development server and tests).
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: the console in development, SMTP in production (EMAIL_URL=smtp+tls://...).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# A custom backend class, when EMAIL_URL's schemes do not name the one wanted.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=EMAIL_BACKEND)  # noqa: F821
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Living Well <no-reply@livingwell.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The address people use to reach the site, for links in emails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Demo accounts (seed_demo) share this password. Never used with DEBUG off.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="livingwell-demo")
# The authenticator-app secret of every demo account that needs two-step sign-in: published
# in the README, like the demo password; `manage.py demo_code` prints its current code.
DEMO_SECOND_FACTOR_SECRET = env.str("DEMO_SECOND_FACTOR_SECRET", default="LIVINGWELLDEMOSECRETFORCORNWALL2")

# Security headers. Production defaults are strict; a deployment behind a TLS-terminating
# proxy sets SECURE_PROXY_SSL_HEADER_ENABLED=true.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if env.bool("SECURE_PROXY_SSL_HEADER_ENABLED", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The health check is probed over plain HTTP by load balancers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Browser features no page of the product uses, turned off for every page and anything it
# might embed: a page that is tampered with still cannot reach the camera, microphone or
# location of a volunteer's phone in a client's home.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Content Security Policy: everything from this host, nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# The reports' figures of a period that has ended are kept this long in Redis, shared by the
# web processes (livingwell/reports/cache.py); 0 works them out on every view.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "reports": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("REDIS_URL", default="redis://127.0.0.1:6379/0"),
        "KEY_PREFIX": "livingwell",
        # A Redis that is down costs a page a quarter of a second, not a hang.
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
    },
}
REPORT_FIGURES_CACHE_SECONDS = env.int("REPORT_FIGURES_CACHE_SECONDS", default=10 * 60)

# Celery: the broker is only the fast path; the notification outbox in PostgreSQL is what
# guarantees delivery, and its sweep re-enqueues anything the broker lost.
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged only when it has finished, and handed back to the broker if the
# worker running it dies, so that a killed worker never loses one.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# No task here is scheduled further ahead than this, so an unacknowledged message is only
# redelivered when its worker has really gone.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    # Publishing tries the broker once: kombu would otherwise retry for
    # CELERY_BROKER_CONNECTION_TIMEOUT (2 s) on every request that saves something while
    # Redis is down, and the outbox's sweep sends those later anyway. The worker reconnects
    # by its own rule (broker_connection_max_retries), which this does not change.
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A request that saves something must not hang when the broker is down: publish once,
# fail fast, and let the outbox sweep deliver later.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_ALWAYS_EAGER = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "risks-remind-overdue": {
        "task": "risks.tasks.remind_overdue_risks",
        "schedule": env.float("RISK_REMINDER_EVERY_SECONDS", default=60 * 60),
    },
    "meetings-chase-unfinalised-coffee-mornings": {
        "task": "meetings.tasks.chase_unfinalised_coffee_mornings",
        "schedule": env.float("COFFEE_MORNING_CHASE_EVERY_SECONDS", default=60 * 60),
    },
    "meetings-end-expired-summary-access": {
        "task": "meetings.tasks.end_expired_summary_access",
        "schedule": env.float("MDT_ACCESS_EXPIRY_EVERY_SECONDS", default=60 * 60),
    },
    "notifications-sweep-undelivered": {
        "task": "livingwell.notifications.tasks.sweep_undelivered_notifications",
        "schedule": env.float("NOTIFICATION_SWEEP_EVERY_SECONDS", default=60.0),
    },
    # Monday morning, UK time (CELERY_TIMEZONE): the past week's success stories to volunteers.
    "stories-weekly-digest": {
        "task": "stories.tasks.send_weekly_digest",
        "schedule": crontab(hour=9, minute=0, day_of_week="mon"),
    },
    # The 1st of each month, 07:00 UK time: last month's headline figures to each manager.
    "reports-monthly-summary": {
        "task": "livingwell.reports.tasks.send_monthly_summaries",
        "schedule": crontab(hour=7, minute=0, day_of_month=1),
    },
    # Nightly at 02:30 UK time, when nobody is working on the records.
    "records-anonymise-expired-client-records": {
        "task": "livingwell.records.tasks.anonymise_expired_client_records",
        "schedule": crontab(hour=2, minute=30),
    },
}

# Closed client records are anonymised this many years after the last contact with the
# client (NHS Records Management Code of Practice: adult social care records, 8 years).
CLIENT_RECORD_RETENTION_YEARS = env.int("CLIENT_RECORD_RETENTION_YEARS", default=8)

# How long a concern may wait to be acted on, by severity, before it is overdue (hours).
RISK_TARGET_HOURS = {
    "urgent": env.int("RISK_TARGET_HOURS_URGENT", default=4),
    "high": env.int("RISK_TARGET_HOURS_HIGH", default=24),
    "medium": env.int("RISK_TARGET_HOURS_MEDIUM", default=7 * 24),
    "low": env.int("RISK_TARGET_HOURS_LOW", default=30 * 24),
}

# Meetings. The chair and clinicians of a Multi-Disciplinary Team meeting see the summaries
# of the clients on its agenda from its publication until this many days after the meeting.
MDT_SUMMARY_ACCESS_DAYS = env.int("MDT_SUMMARY_ACCESS_DAYS", default=14)
# The version of the confidentiality agreement a volunteer must have signed to attend.
CONFIDENTIALITY_AGREEMENT_VERSION = env.str("CONFIDENTIALITY_AGREEMENT_VERSION", default="2026.1")
# A coffee morning's minutes not finalised this many days after it are chased.
COFFEE_MORNING_FINALISE_WITHIN_DAYS = env.int("COFFEE_MORNING_FINALISE_WITHIN_DAYS", default=2)

# The notification outbox.
NOTIFICATIONS = {
    # How long the fast path (the task enqueued on commit) has before the sweep steps in.
    "SWEEP_GRACE_SECONDS": env.int("NOTIFICATION_SWEEP_GRACE_SECONDS", default=120),
    # Back-off after a failed email: base * 2 ** (attempts - 1), capped.
    "RETRY_BASE_SECONDS": env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=60),
    "RETRY_MAX_SECONDS": env.int("NOTIFICATION_RETRY_MAX_SECONDS", default=6 * 60 * 60),
    "MAX_ATTEMPTS": env.int("NOTIFICATION_MAX_ATTEMPTS", default=10),
    "SWEEP_BATCH": 500,
    # A worker marks a row as being sent before the email goes, and no one else sends it
    # for this long: enough for that worker to record the outcome through a database
    # restart. Only after it (the worker died) is the row sent again.
    "SENDING_TIMEOUT_SECONDS": env.int("NOTIFICATION_SENDING_TIMEOUT_SECONDS", default=900),
    # How long a worker keeps trying to record an email's outcome while the database is away.
    "RECORD_RETRY_SECONDS": env.int("NOTIFICATION_RECORD_RETRY_SECONDS", default=300),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Lockouts and refused password resets.
        "livingwell.security": {"level": "INFO"},
    },
}

"""Kezdesu settings: one file, read from the environment.

With nothing configured you get the embedded default a newcomer needs: DEBUG on, an SQLite
file and a filesystem Celery broker under var/, email printed to the console. Production sets
the variables listed in README.md; a missing or malformed value there fails at start-up, not
on the first request.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")


def _strict_bool(name: str, default: bool) -> bool:
    """django-environ reads any unknown word as False; a typo in production must fail instead."""
    raw = env.str(name, default="")
    if raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


DEBUG = _strict_bool("DEBUG", default=True)
# Where the embedded default keeps its SQLite file, broker queue, cache and uploads.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-embedded-default-for-development-only-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public base URL, for links in emails, feeds and calendars that leave the request.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files, not a CDN
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Production beat reads its schedule from the database (editable in the admin); the
    # block below is loaded into it at start. The embedded default keeps beat's file.
    "django_celery_beat",
    "core",
    "accounts",
    "districts",
    "meetings",
    "questions",
    "reports",
    "cycles",
    "notifications",
    "open311",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A query string no parameter can hold (a NUL character) is refused before any view.
    "core.query.QueryStringGuard",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "accounts.context_processors.people",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
if not env.str("DATABASE_URL", default=""):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let the web server and the Celery worker share the file
    # without "database is locked" errors; busy_timeout waits instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # The trigram and full-text lookups of search (reports.selectors).
    INSTALLED_APPS.append("django.contrib.postgres")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accounts:workspace"
LOGOUT_REDIRECT_URL = "core:home"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username+address before the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Administrators must sign in with a one-time code (TOTP); other staff may turn it on.
ADMIN_TWO_FACTOR_REQUIRED = _strict_bool("ADMIN_TWO_FACTOR_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "Kezdesu"
AXES_ENABLED = _strict_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=30)
# Lock the pair, so an attacker cannot lock a real staff member out from everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out_response"  # the template, 429 and Retry-After
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_ip"
# Behind the reverse proxy: trust the address it appends to X-Forwarded-For.
TRUST_X_FORWARDED_FOR = _strict_bool("TRUST_X_FORWARDED_FOR", default=False)
# Generous per-address limits on public forms (residents share addresses behind mobile NAT).
RATE_LIMIT_REGISTRATIONS = env.int("RATE_LIMIT_REGISTRATIONS", default=30)  # per 10 minutes
RATE_LIMIT_LOGINS = env.int("RATE_LIMIT_LOGINS", default=30)  # per 10 minutes
# Residents sign in with a one-time code sent to their email or phone (accounts.services): the
# code lives this long, dies after this many wrong tries, and so many are sent per hour to one
# contact and from one address.
RESIDENT_SIGN_IN_CODE_MINUTES = 15
RESIDENT_SIGN_IN_MAX_WRONG_CODES = 5
RESIDENT_SIGN_IN_CODES_PER_CONTACT = env.int("RESIDENT_SIGN_IN_CODES_PER_CONTACT", default=5)
RESIDENT_SIGN_IN_CODES_PER_ADDRESS = env.int("RESIDENT_SIGN_IN_CODES_PER_ADDRESS", default=20)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Cache and Celery ---------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, made to degrade (not fail) while Redis is down.
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kezdesu",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    # A file cache, not a per-process one: the web server and the worker must see the same
    # entries (the worker's heartbeat, later the invalidations it makes).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # Django's default of 300 files culls a third of the pages at every few hundred
            # distinct query strings.
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
        # Request limits apart from the pages: a full cache culls random files, and a culled
        # counter is a limit reset (see core/ratelimit.py). Counters expire with their window.
        "limits": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "limits"),
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }

# The embedded broker is kombu's filesystem transport: no server, no extra dependency, and
# each queued task is a plain file under var/celery/ that a newcomer can look at. (The
# SQLAlchemy transport would put the queue in the same SQLite file the site writes to and
# compete with it for the write lock.)
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)  # kombu expects the folder to exist
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "store_processed": False,
        # The worker's broadcast (pidbox) exchange, which would otherwise land in ./control.
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A task not acknowledged within the hour (a killed worker) is delivered again.
        "visibility_timeout": 3600,
        # Publishing from a request must fail fast while Redis is down (the outbox keeps the
        # message): without these, kombu retries the connection for seconds on every
        # publish (celery#4627), and a Redis outage stalls every submission.
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Almaty"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The one place for every periodic job.
CELERY_BEAT_SCHEDULE = {
    "core.heartbeat": {
        "task": "core.heartbeat",
        "schedule": env.float("HEARTBEAT_SECONDS", default=60.0),
    },
}

# --- Notifications ------------------------------------------------------------------------
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
# Wait after the 1st, 2nd, … failed attempt.
NOTIFICATIONS_BACKOFF_MINUTES = [1, 5, 30, 120, 720]
# One delivery run sends at most this many messages, claimed in batches of NOTIFICATIONS_BATCH_SIZE,
# each held under a lease that a killed worker's rows wait out before another worker takes them.
NOTIFICATIONS_BATCH_LIMIT = env.int("NOTIFICATIONS_BATCH_LIMIT", default=5000)
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=100)
NOTIFICATIONS_LEASE_SECONDS = env.int("NOTIFICATIONS_LEASE_SECONDS", default=300)
NOTIFICATIONS_MESSAGE_ID_DOMAIN = env.str("NOTIFICATIONS_MESSAGE_ID_DOMAIN", default="kezdesu.kz")
SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.channels.ConsoleSmsBackend")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
SMS_SENDER = env.str("SMS_SENDER", default="Kezdesu")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10.0)
CELERY_BEAT_SCHEDULE["notifications.deliver_due"] = {
    "task": "notifications.deliver_due",
    "schedule": env.float("NOTIFICATIONS_DELIVER_SECONDS", default=60.0),
}
CELERY_BEAT_SCHEDULE["meetings.send_reminders"] = {"task": "meetings.send_reminders", "schedule": 300.0}
# Daily at 09:00 local time, on working and non-working days alike (a missed day catches up).
CELERY_BEAT_SCHEDULE["meetings.mandate_nudges"] = {
    "task": "meetings.mandate_nudges",
    "schedule": crontab(hour=9, minute=0),
}
# Personal data (residents' names and contacts) is erased this many days after a question is
# closed, a meeting has ended, or a message was delivered.
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=365)
for _task in (
    "questions.anonymise_closed",
    "meetings.delete_expired_registrations",
    "notifications.delete_expired",
    "accounts.delete_expired_sign_in_codes",
):
    CELERY_BEAT_SCHEDULE[_task] = {"task": _task, "schedule": crontab(hour=3, minute=30)}
# Publishing a task must fail fast when the broker is down: the outbox keeps the message.
CELERY_BROKER_CONNECTION_TIMEOUT = 3

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "kk"
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# All of Kazakhstan is UTC+5 since 1 March 2024; the tz database calls it Asia/Almaty.
TIME_ZONE = "Asia/Almaty"
# Our own date, time and number formats for kk and ru (24-hour clock, day before month).
FORMAT_MODULE_PATH = ["config.formats"]

MODELTRANSLATION_DEFAULT_LANGUAGE = "kk"
MODELTRANSLATION_LANGUAGES = ("kk", "ru")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("kk", "ru"), "kk": ("ru",), "ru": ("kk",)}
# The tabbed admin's jQuery UI, served from our own static files instead of a third-party CDN.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request otherwise
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email --------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kezdesu <noreply@kezdesu.kz>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -----------------------------------------------------------------------------
# HTTPS is on whenever DEBUG is off; `docker compose up` on a laptop turns it off explicitly.
HTTPS = _strict_bool("HTTPS", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # container healthchecks speak plain HTTP inside
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = _strict_bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: scripts, styles, images and connections from our own origin only;
# no inline script anywhere (templates load static/js/ files). Inline style *attributes* stay
# allowed because Django's admin still uses a few; they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "core.api.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "core.pagination.KeysetCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # JSON in, JSON out: a form body reads "" as "not given" (DRF's rule for HTML forms), which
    # is not what the schema says of a JSON field.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.ratelimit.AnonRateThrottle",
        "core.ratelimit.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="600/minute"),
        "user": env.str("API_USER_RATE", default="1200/minute"),
        "meetings_register": env.str("API_REGISTER_RATE", default="30/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kezdesu API",
    "DESCRIPTION": (
        "Public, read-only data about territories, akims, meetings, questions and reports "
        "of akims' meetings with residents in Kazakhstan, and the staff workspace's writes "
        "(signed in with a session cookie; writes send the CSRF token in X-CSRFToken). "
        "Send Accept-Language: kk or ru.\n\n"
        "Every list pages by cursor: `cursor` and `page_size` (1 to 200) in, "
        "`{next, previous, results}` out; follow the `next` and `previous` links. "
        "Every error is `{message, errors}` in the request's language. A filter given empty "
        "(`?territory=`) is refused with 400: leave it out for no filter. "
        "Changes are listed in CHANGELOG.md."
    ),
    "VERSION": "2.0.0",  # CHANGELOG.md: a breaking change is a new major version
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.api.postprocess_schema"],
}

# --- Questions ----------------------------------------------------------------------------
# Administrative Procedural and Process Code, art. 76: an answer within 15 working days of
# registration; one extension by at most two months, the author told within 3 working days;
# a question outside the akimat's competence forwarded within 3 working days.
QUESTIONS_RESPONSE_WORKING_DAYS = env.int("QUESTIONS_RESPONSE_WORKING_DAYS", default=15)
QUESTIONS_EXTENSION_MAX_MONTHS = 2
QUESTIONS_FORWARD_WORKING_DAYS = 3
# "Due soon" in the staff workspace: this many working days left or fewer.
QUESTIONS_DUE_SOON_WORKING_DAYS = 3
# A question whose contact is not confirmed within this many days expires.
QUESTIONS_CONFIRMATION_DAYS = 7
QUESTIONS_CONFIRMATION_MAX_ATTEMPTS = 5
# New confirmation codes per question per hour (each sends a message).
QUESTIONS_NEW_CODES_PER_HOUR = env.int("QUESTIONS_NEW_CODES_PER_HOUR", default=3)
# Submissions per IP address and per contact (email or phone) within the window (seconds).
QUESTIONS_RATE_LIMIT_PER_IP = env.int("QUESTIONS_RATE_LIMIT_PER_IP", default=10)
QUESTIONS_RATE_LIMIT_PER_CONTACT = env.int("QUESTIONS_RATE_LIMIT_PER_CONTACT", default=3)
QUESTIONS_RATE_LIMIT_WINDOW = 3600
# Open311 GeoReport v2 (open311/): service requests each key may post per hour, unless the
# key's own limit in the admin says otherwise; the most requests one GET returns (the spec's 1000).
OPEN311_KEY_REQUESTS_PER_HOUR = env.int("OPEN311_KEY_REQUESTS_PER_HOUR", default=100)
OPEN311_MAX_REQUESTS = 1000
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    **REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}),
    "questions_submit": env.str("QUESTIONS_API_SUBMIT_RATE", default="10/hour"),
}
CELERY_BEAT_SCHEDULE["questions.expire_unconfirmed"] = {
    "task": "questions.expire_unconfirmed",
    "schedule": 3600.0,
}
# Working mornings, local time; the jobs themselves skip nothing on other days (catch-up).
CELERY_BEAT_SCHEDULE["questions.officer_reminders"] = {
    "task": "questions.officer_reminders",
    "schedule": crontab(hour=8, minute=30),
}
CELERY_BEAT_SCHEDULE["questions.staff_digest"] = {
    "task": "questions.staff_digest",
    "schedule": crontab(hour=8, minute=45),
}
CELERY_BEAT_SCHEDULE["questions.feedback_requests"] = {
    "task": "questions.feedback_requests",
    "schedule": crontab(hour=11, minute=0),
}

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Meetings -----------------------------------------------------------------------------
# Meeting kinds and territory kinds are both "kind" in the API: name the meetings' enum.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})["MeetingKindEnum"] = "meetings.models.Meeting.Kind"
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["CycleKindEnum"] = "cycles.models.Cycle.Kind"

# --- Reports ------------------------------------------------------------------------------
# An action item is at risk when it is not done and overdue, or due within this many days
# with progress under this many percent.
REPORTS_AT_RISK_DAYS = env.int("REPORTS_AT_RISK_DAYS", default=30)
REPORTS_AT_RISK_PROGRESS = env.int("REPORTS_AT_RISK_PROGRESS", default=50)
# A rate from fewer cases than this is shown with a warning ("n = 4: too few to compare").
REPORTS_MIN_CASES_FOR_RATE = env.int("REPORTS_MIN_CASES_FOR_RATE", default=20)
# Computed figures are cached this long at most (they are also keyed by the data's version).
REPORTS_CACHE_SECONDS = env.int("REPORTS_CACHE_SECONDS", default=3600)
# The mandate table, cached under meetings.selectors.mandate_version (which every meeting change
# moves); this bounds how long an edit of an existing akim's name or term takes to show.
MANDATE_CACHE_SECONDS = env.int("MANDATE_CACHE_SECONDS", default=600)
# Whole public list pages for anonymous readers, under a version of their data
# (core/page_cache.py); this bounds only what the version does not see. 0 turns it off.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=600)
# The territory drill-down's options (meetings.forms); a new territory shows at once, a renamed
# one within this.
TERRITORY_OPTIONS_CACHE_SECONDS = env.int("TERRITORY_OPTIONS_CACHE_SECONDS", default=600)
# A scorecard, and a territory's summary row it is built from (reports.TerritoryFigures), younger
# than this is served even if the data changed since (see reports.selectors.territory_scorecard);
# the beat job below refreshes the top-level ones, the costly ones, sooner.
REPORTS_SCORECARD_STALE_SECONDS = env.int("REPORTS_SCORECARD_STALE_SECONDS", default=900)
CELERY_BEAT_SCHEDULE["reports.refresh_scorecards"] = {
    "task": "reports.refresh_scorecards",
    "schedule": 600.0,
}
REPORTS_COVER_MAX_BYTES = env.int("REPORTS_COVER_MAX_BYTES", default=5 * 1024 * 1024)
REPORTS_IMPORT_MAX_BYTES = 1024 * 1024
# Cover renditions (width in pixels): the page and OpenGraph image, and the list thumbnail.
REPORTS_COVER_WIDTHS = {"cover": 1200, "cover_small": 480}
REPORTS_EXPORT_MAX_ROWS = env.int("REPORTS_EXPORT_MAX_ROWS", default=100_000)

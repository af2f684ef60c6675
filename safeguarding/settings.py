"""Settings for Safeguarding: one module, every value read from the environment.

With no environment at all the project runs on its *embedded default*: a SQLite
file and a Celery filesystem broker under ``var/``, so ``make run`` needs no
service.  ``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL`` to Redis.
Every variable is listed in docs/configuration.md.
"""

import secrets
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

# Every variable may instead be given as <NAME>_FILE (Docker / Kubernetes secrets).
env = environ.FileAwareEnv()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("VAR_DIR", default="") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY (or SECRET_KEY_FILE); else one generated once into var/ (embedded default)."""
    if env.str("SECRET_KEY", default=""):
        return env.str("SECRET_KEY").strip()
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Applications -----------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # intcomma: 1,000 not 1000 (GOV.UK style for numbers)
    "django.contrib.postgres",
    # third party
    "axes",
    "crispy_forms",
    "crispy_forms_gds",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_ratelimit",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework",
    "simple_history",
    # core
    "safeguarding.accounts",
    "safeguarding.audit",
    "safeguarding.notifications",
    "safeguarding.core",
    # domain
    "cases",
    "custody",
    "referrals",
    "interventions",
    # reads every domain app; none imports it
    "dashboards",
    # the integration API (reads and writes through the domain apps' services)
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Before SessionLimitsMiddleware, which tells the user why they were signed out.
    "django.contrib.messages.middleware.MessageMiddleware",
    "safeguarding.core.middleware.SessionLimitsMiddleware",
    "safeguarding.core.middleware.RequireSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "safeguarding.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]
# bench/pages.py counts each page's SQL statements; never set in service.
if env.bool("BENCH_COUNT_QUERIES", default=False):
    MIDDLEWARE.insert(0, "bench._querycount.QueryCountMiddleware")

ROOT_URLCONF = "safeguarding.urls"
WSGI_APPLICATION = "safeguarding.wsgi.application"

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
                "safeguarding.core.context_processors.shell",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# Two PostgreSQL roles: the schema's owner runs migrations and then grants the runtime
# role (DATABASE_URL's user, used by web, worker and beat) only what the service needs;
# the runtime role owns nothing, so it cannot truncate the audit log or switch off its
# triggers. These management commands alone connect as the owner when
# MIGRATION_DATABASE_URL is set; without it one role does everything. backup and restore
# too: a restore creates every table, and the objects it creates must be the owner's.
RUNTIME_DATABASE_USER = DATABASES["default"].get("USER", "")
MIGRATION_DATABASE_URL = env.str("MIGRATION_DATABASE_URL", default="")
OWNER_COMMANDS = {"migrate", "grant_runtime_privileges", "backup", "restore"}
if MIGRATION_DATABASE_URL and len(sys.argv) > 1 and sys.argv[1] in OWNER_COMMANDS:
    DATABASES["default"] = env.db_url("MIGRATION_DATABASE_URL")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time: take the write lock at BEGIN, wait for it, and let
    # readers go on beside the writer (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # JIT off for every connection the service makes. Its pages run short, index-driven
    # queries, but on large tables the planner's cost estimate crosses jit_above_cost
    # and PostgreSQL then spends longer compiling the query than running it (measured:
    # most of a 4-second person page at 100,000 young people). Nothing here is a long
    # analytical query that compilation would pay back; raising jit_above_cost would
    # only move the cliff to a bigger force. A report that wants JIT can SET it locally.
    # random_page_cost 1.1 rather than PostgreSQL's 4.0 (a figure for spinning disks): the
    # database sits on SSD with its hot pages in memory, where an index lookup costs about
    # what a sequential read does. With 4.0 the planner hashed all 166,000 checklists of the
    # force-scale data set to find a team's 2,500 open items instead of looking up the
    # 7,400 open items' checklists by key (80 ms against 10 ms for the Clocks page's count).
    # DATABASE_RANDOM_PAGE_COST overrides it for a server on spinning disks.
    random_page_cost = env.float("DATABASE_RANDOM_PAGE_COST", default=1.1)
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off -c random_page_cost={random_page_cost}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"

# NCSC guidance: length, a deny-list of common passwords, no composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)
ACCOUNT_ACTIVATION_HOURS = env.int("ACCOUNT_ACTIVATION_HOURS", default=72)

# Lock-out after repeated failures, keyed on the email *and* the address together.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_USERNAME_CALLABLE = "safeguarding.accounts.auth.axes_username"
AXES_RESET_ON_SUCCESS = True
# A locked-out attempt gets exactly the answer of a wrong password.
AXES_LOCKOUT_CALLABLE = "safeguarding.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if env.int("PROXY_COUNT", default=0) else ["REMOTE_ADDR"]
)

OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Safeguarding")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Sessions ---------------------------------------------------------------

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=15))
SESSION_IDLE_WARNING = timedelta(minutes=env.int("SESSION_WARNING_MINUTES", default=2))
SESSION_ABSOLUTE_LIMIT = timedelta(hours=env.int("SESSION_ABSOLUTE_HOURS", default=12))
# The cookie outlives the absolute limit a little so that the middleware, not the
# browser, decides when a session ends (and can keep a form posted after expiry).
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_LIMIT.total_seconds()) + 3600
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security ---------------------------------------------------------------

HTTPS = env.bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.int("PROXY_COUNT", default=0) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "safeguarding.core.views.csrf_failure"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"

# --- Static files -----------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str("STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- Email ------------------------------------------------------------------

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "emails"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Safeguarding <no-reply@safeguarding.invalid>")

# --- Celery -----------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {"visibility_timeout": 3600}
else:
    _broker_dir = VAR_DIR / "celery-broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="safeguarding")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = True

# --- Logging ----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Never log request bodies or query strings: they may hold names.
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each rendering step at INFO; its warnings (a refused URL) still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Cache and rate limits ----------------------------------------------------

# Rate-limit counters live in the cache: Redis when REDIS_URL is set, so that every web
# process shares them; local memory in the embedded default (counters per process).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "safeguarding",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "safeguarding.core.ratelimits.client_ip"
# Django's own Redis cache increments atomically but is not on django-ratelimit's list;
# local memory is refused by it as not shared, which the embedded demo accepts.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + ([] if REDIS_URL else ["django_ratelimit.E003"])
# "count/period" (s, m, h, d; e.g. "30/10m"): per signed-in user, or per client address and
# per email address for the password reset.
RATE_LIMITS = {
    "person_search": env.str("RATE_LIMIT_PERSON_SEARCH", default="120/h"),
    "custody_upload": env.str("RATE_LIMIT_CUSTODY_UPLOAD", default="20/h"),
    "record_create": env.str("RATE_LIMIT_RECORD_CREATE", default="60/h"),
    "password_reset_address": env.str("RATE_LIMIT_PASSWORD_RESET_ADDRESS", default="3/h"),
    "password_reset_ip": env.str("RATE_LIMIT_PASSWORD_RESET_IP", default="20/h"),
}

# --- Integration API (api) -----------------------------------------
# Token authentication only, JSON only, errors as RFC 9457 problem details; throttled per
# client in the cache (Redis when REDIS_URL is set).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.SystemClientAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.PerClientThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_client": env.str("API_RATE_LIMIT", default="600/min")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safeguarding integration API",
    "DESCRIPTION": "The custody feed for a force's custody system, and the referral API for partner agencies' "
    "case systems. Authenticate with `Authorization: Bearer <token>`; errors are RFC 9457 problem details.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "APPEND_COMPONENTS": {
        "securitySchemes": {"token": {"type": "http", "scheme": "bearer", "description": "The client's token."}}
    },
    "SECURITY": [{"token": []}],
    "AUTHENTICATION_WHITELIST": [],
}
# A new client's token lasts this many days unless the administrator says otherwise.
API_CLIENT_DEFAULT_DAYS = env.int("API_CLIENT_DEFAULT_DAYS", default=365)
# How long the answer to a call with an Idempotency-Key is kept for its retries.
API_IDEMPOTENCY_HOURS = env.int("API_IDEMPOTENCY_HOURS", default=24)
API_IDEMPOTENCY_PURGE_SECONDS = env.int("API_IDEMPOTENCY_PURGE_SECONDS", default=60 * 60)

# --- Product settings (limits are data, not literals in code) ---------------

FORCE_NAME = env.str("FORCE_NAME", default="Westshire Police")
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="correct-horse-battery-staple")
HEARTBEAT_INTERVAL_SECONDS = env.int("HEARTBEAT_INTERVAL_SECONDS", default=60)
# Housekeeping: expired sessions, their tracking rows and unclaimed saved forms.
HOUSEKEEPING_INTERVAL_SECONDS = env.int("HOUSEKEEPING_INTERVAL_SECONDS", default=3600)

# Bulk access detection: an officer who opens more than BULK_ACCESS_RECORDS person or case
# records, or searches for people more than BULK_ACCESS_SEARCHES times, within
# BULK_ACCESS_WINDOW_MINUTES raises one alert to the force lead per window; beat looks
# every BULK_ACCESS_SCAN_SECONDS.
BULK_ACCESS_RECORDS = env.int("BULK_ACCESS_RECORDS", default=50)
BULK_ACCESS_SEARCHES = env.int("BULK_ACCESS_SEARCHES", default=40)
BULK_ACCESS_WINDOW_MINUTES = env.int("BULK_ACCESS_WINDOW_MINUTES", default=30)
BULK_ACCESS_SCAN_SECONDS = env.int("BULK_ACCESS_SCAN_SECONDS", default=120)

# Young people and cases.
# How long break-glass access to a person outside one's scope lasts, and the shortest
# written justification accepted for it.
BREAK_GLASS_HOURS = env.int("BREAK_GLASS_HOURS", default=24)
BREAK_GLASS_MIN_JUSTIFICATION = env.int("BREAK_GLASS_MIN_JUSTIFICATION", default=30)
BREAK_GLASS_REFERENCE_MINUTES = env.int("BREAK_GLASS_REFERENCE_MINUTES", default=30)
# Person search: results shown, and how close a name must be to count as a match (0..1).
SEARCH_MAX_RESULTS = env.int("SEARCH_MAX_RESULTS", default=25)
SEARCH_MIN_SCORE = env.float("SEARCH_MIN_SCORE", default=0.3)
# How alike a new person must be to an existing one to be suggested as a duplicate (0..1).
DUPLICATE_MIN_SCORE = env.float("DUPLICATE_MIN_SCORE", default=0.45)
# Rows on a record's "who viewed this record" page.
VIEWERS_SHOWN = env.int("VIEWERS_SHOWN", default=200)

# Custody review: the morning custody list.
# The largest upload accepted, in bytes (5 MB holds well over 20,000 rows).
CUSTODY_IMPORT_MAX_BYTES = env.int("CUSTODY_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# Lists with more data rows than this are imported by a Celery task, with a progress bar.
CUSTODY_IMPORT_ASYNC_ROWS = env.int("CUSTODY_IMPORT_ASYNC_ROWS", default=200)
# Rows not flagged, or judged not at risk, lose their personal data after this many days.
CUSTODY_ROW_RETENTION_DAYS = env.int("CUSTODY_ROW_RETENTION_DAYS", default=30)
CUSTODY_PURGE_INTERVAL_SECONDS = env.int("CUSTODY_PURGE_INTERVAL_SECONDS", default=60 * 60)
CUSTODY_ESCALATE_AFTER_DAYS = env.int("CUSTODY_ESCALATE_AFTER_DAYS", default=2)
CUSTODY_ESCALATE_INTERVAL_SECONDS = env.int("CUSTODY_ESCALATE_INTERVAL_SECONDS", default=60 * 60)
# Local authorities (and other place names) inside the force area, besides those the shipped
# list places in FORCE_NAME's area: a home area among them is not "out of area".
CUSTODY_HOME_AREAS = env.list("CUSTODY_HOME_AREAS", default=["Westshire", "Westshire Council"])

# The 48-hour post-custody clock (custody.clock). Deadlines live in the database;
# beat runs the sweep every CHECKLIST_SWEEP_SECONDS.
CHECKLIST_SWEEP_SECONDS = env.int("CHECKLIST_SWEEP_SECONDS", default=60)
# A reminder goes to an item's owner this long before its deadline.
CHECKLIST_REMINDER_LEAD_MINUTES = env.int("CHECKLIST_REMINDER_LEAD_MINUTES", default=60)
# "Due soon" on the clocks page and the home panels.
CHECKLIST_DUE_SOON_HOURS = env.int("CHECKLIST_DUE_SOON_HOURS", default=4)
# Items claimed per transaction by the sweep.
CHECKLIST_SWEEP_BATCH = env.int("CHECKLIST_SWEEP_BATCH", default=200)
# An email that failed is retried after this many minutes (doubling, at most an hour).
CHECKLIST_EMAIL_RETRY_MINUTES = env.int("CHECKLIST_EMAIL_RETRY_MINUTES", default=2)
# Outbox rows delivered per transaction: their emails go out just before its COMMIT, so a
# crash mid-batch can re-send at most this many (email is at least once; in-app exactly once).
CHECKLIST_DELIVERY_BATCH = env.int("CHECKLIST_DELIVERY_BATCH", default=20)
# A return home interview is due this many hours after a missing young person returns
# (statutory guidance on children who run away or go missing from home or care, 2014).
RETURN_INTERVIEW_DUE_HOURS = env.int("RETURN_INTERVIEW_DUE_HOURS", default=72)
# Its owner is reminded this many hours before the deadline (the sweep of the 48-hour clock).
RETURN_INTERVIEW_REMINDER_LEAD_HOURS = env.int("RETURN_INTERVIEW_REMINDER_LEAD_HOURS", default=24)

# The estimated police cost of one missing-person episode: £1,325.44, the medium-risk
# case costed by the University of Portsmouth (Shalev Greene and Pakes, "The Cost of
# Missing Person Investigations", 2012). Each episode keeps the figure in force when it
# was recorded.
MISSING_EPISODE_ESTIMATED_COST = Decimal("1325.44")

# When a closure is approved, the next records review (Police Information and Records
# Management Code of Practice 2023) is offered this many years ahead; the supervisor
# confirms or changes it.
CASE_RECORDS_REVIEW_YEARS = env.int("CASE_RECORDS_REVIEW_YEARS", default=6)

# Referrals to partner agencies (referrals). A share of case information lasts this many
# days unless the officer chooses otherwise; it can be revoked at any time.
REFERRAL_SHARE_DAYS = env.int("REFERRAL_SHARE_DAYS", default=90)
# Children's services / MASH are expected to decide within this many working days.
REFERRAL_CHILDRENS_TARGET_WORKING_DAYS = env.int("REFERRAL_CHILDRENS_TARGET_WORKING_DAYS", default=1)
# A restricted section (digital-review findings, intelligence) needs at least this long a justification.
REFERRAL_RESTRICTED_MIN_JUSTIFICATION = env.int("REFERRAL_RESTRICTED_MIN_JUSTIFICATION", default=20)
# How often beat looks for NRM Reasonable Grounds decisions past their 5-working-day target.
NRM_SWEEP_SECONDS = env.int("NRM_SWEEP_SECONDS", default=15 * 60)

# Interventions (interventions). Statutory limits are data, not literals in code:
# the Crime and Policing Act 2026's guidance is still arriving.
# Community Protection Warnings and Notices: the youngest age on the date of issue
# (Anti-social Behaviour, Crime and Policing Act 2014 s43) and the days a notice may be
# appealed after service.
CP_MINIMUM_AGE = env.int("CP_MINIMUM_AGE", default=16)
CPN_APPEAL_DAYS = env.int("CPN_APPEAL_DAYS", default=21)
# The fixed penalty for breaching a Community Protection Notice: £500 since the Crime and
# Policing Act 2026 (it was £100).
CPN_FIXED_PENALTY_AMOUNT = Decimal(env.str("CPN_FIXED_PENALTY_AMOUNT", default="500.00"))
# Child Criminal Exploitation Prevention Orders (Crime and Policing Act 2026): the respondent's
# youngest age on the date of the application, and the limits on a full order's fixed term in
# months (None: no limit). A full order may instead run until further order. Set these from the
# Act's commenced sections and statutory guidance as they arrive.
CCEPO_MINIMUM_AGE = env.int("CCEPO_MINIMUM_AGE", default=18)
CCEPO_FULL_MIN_MONTHS: int | None = env.int("CCEPO_FULL_MIN_MONTHS", default=24)
CCEPO_FULL_MAX_MONTHS: int | None = None
# The register of orders shows at most this many, newest first.
CCEPO_REGISTER_SHOWN = env.int("CCEPO_REGISTER_SHOWN", default=200)
# Dashboards. The source of the per-episode cost (MISSING_EPISODE_ESTIMATED_COST above), shown
# beside every figure built from it.
MISSING_EPISODE_COST_SOURCE = "University of Portsmouth (2012), the cost of a medium-risk missing person investigation"
# A case with nothing recorded for this many days shows as "no activity".
DASHBOARD_NO_ACTIVITY_DAYS = env.int("DASHBOARD_NO_ACTIVITY_DAYS", default=14)
# The missing-episode comparison: episodes this many days before a case opened against after.
DASHBOARD_EPISODE_WINDOW_DAYS = env.int("DASHBOARD_EPISODE_WINDOW_DAYS", default=90)

# Notifications. The daily digest for supervisors goes at or after this UK hour, once per
# UK day; beat looks every DIGEST_SWEEP_SECONDS.
DIGEST_HOUR = env.int("DIGEST_HOUR", default=7)
DIGEST_SWEEP_SECONDS = env.int("DIGEST_SWEEP_SECONDS", default=5 * 60)
# A dashboard's figures are kept this long (never more than 60 s) and the page says when
# they were calculated; the records behind them and exports are always read live.
DASHBOARD_CACHE_SECONDS = min(env.int("DASHBOARD_CACHE_SECONDS", default=60), 60)

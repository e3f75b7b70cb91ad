"""qingshen settings: one file, everything from the environment, SQLite by default.

Every variable is documented in README.md ("Configuration").
"""

import dj_database_url
from django.utils.translation import gettext_lazy as _

from qingshen import settings_api
from qingshen.core import multinode
from qingshen.core.env import (
    BASE_DIR,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_path,
    env_str,
    secret_key_read,
    var_dir,
)

# Importing the settings writes nothing: manage.py, wsgi and asgi run `first_start()` (var/, secret key).
VAR_DIR = var_dir()
SECRET_KEY = secret_key_read()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Its templates are the form renderer's defaults; ours override the field (templates/forms/field.html).
    "django.forms",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Before django_tasks_db: its `db_worker` command is extended here (jobs/management/commands).
    "qingshen.jobs",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "qingshen.trail",
    "qingshen.procedures",
    "qingshen.accounts",
    "qingshen.registry",
    "qingshen.notifications",
    "qingshen.cases",
    "qingshen.programmes",
    "qingshen.reviews",
    "qingshen.oversight",
    "qingshen.reports",
    "qingshen.maintenance",
    "qingshen.web",
    "qingshen.portal",
    "qingshen.public",
    "qingshen.api",
    "qingshen.demo",
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
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before anything reads the session, the user or the database (accounts/input_middleware.py).
    "qingshen.accounts.input_middleware.InputCharactersMiddleware",
    "qingshen.accounts.middleware.SessionSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "qingshen.trail.middleware.ClientAddressMiddleware",
    "qingshen.accounts.headers.SecurityHeadersMiddleware",
    # A refusal that escapes a view is answered as its page (core/pages.py), never as a 500.
    "qingshen.core.pages.RefusalMiddleware",
]

ROOT_URLCONF = "qingshen.urls"
# Forms render with the project's templates: a field shows its errors beside it (templates/forms/field.html).
FORM_RENDERER = "qingshen.core.pages.FormRenderer"
WSGI_APPLICATION = "qingshen.wsgi.application"
ASGI_APPLICATION = "qingshen.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "qingshen" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qingshen.web.context_processors.role_menu",
            ],
        },
    },
]

# --- Database: SQLite file under var/ unless DATABASE_URL says otherwise -------------------------
# Connections kept between requests on PostgreSQL, checked before reuse (core/multinode.py).
QINGSHEN_CONN_MAX_AGE = multinode.connection_max_age()
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'qingshen.sqlite3'}",
        conn_max_age=QINGSHEN_CONN_MAX_AGE,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions + a busy timeout: concurrent writers wait instead of failing
    # with "database is locked" (environment.md). Foreign keys are on in Django's SQLite backend.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
# A read replica (DATABASE_REPLICA_URL) takes the reports' and the dashboard's reads (core/dbrouter.py);
# writes, and reads inside a transaction, stay on the primary.
_replica = multinode.replica_database(QINGSHEN_CONN_MAX_AGE)
QINGSHEN_READ_REPLICA = ""
if _replica is not None:
    DATABASES[multinode.REPLICA_ALIAS] = _replica
    QINGSHEN_READ_REPLICA = multinode.REPLICA_ALIAS
DATABASE_ROUTERS = ["qingshen.core.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions: Redis when REDIS_URL is set (shared by every node), else per process --------
# Without it: Django's local memory cache and sessions in the database, as on one machine.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = multinode.redis_caches(REDIS_URL)
    # Read from Redis, kept in the database too: the session list and "end this session" query and
    # delete the session rows (accounts/services.py deletes through the engine, so Redis forgets too).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["qingshen.accounts.backends.UserBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Length, classes, history: numbers are security parameters (accounts/parameters.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "qingshen.accounts.passwords.LengthAndClassesValidator"},
    {"NAME": "qingshen.accounts.passwords.NotUsernameValidator"},
    {"NAME": "qingshen.accounts.passwords.HistoryValidator"},
]

# --- Language and time ------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "qingshen" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True
# Grouping separators for figures (qingshen/core/numbers.py); dates stay Django's.
FORMAT_MODULE_PATH = ["qingshen.formats"]

# --- Static and uploaded files ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "qingshen" / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "qingshen.core.npm_files.NpmFilesFinder",
]
# Front-end libraries come from npm (package.json) and are served from here, never from a CDN: only the
# files the pages load (and the maps those files name, which the manifest storage resolves) and each
# package's licence, as (static folder, path under node_modules).
QINGSHEN_NPM_ROOT = BASE_DIR / "node_modules"
QINGSHEN_NPM_FILES = [
    ("vendor/bootstrap/css", "bootstrap/dist/css/bootstrap.min.css"),
    ("vendor/bootstrap/css", "bootstrap/dist/css/bootstrap.min.css.map"),
    ("vendor/bootstrap/js", "bootstrap/dist/js/bootstrap.bundle.min.js"),
    ("vendor/bootstrap/js", "bootstrap/dist/js/bootstrap.bundle.min.js.map"),
    ("vendor/bootstrap", "bootstrap/LICENSE"),
    ("vendor/echarts", "echarts/dist/echarts.min.js"),
    ("vendor/echarts", "echarts/LICENSE"),
    ("vendor/echarts", "echarts/NOTICE"),
    # The API's documentation page (/api/docs/): the bundle carries no source map reference, the CSS does.
    ("vendor/swagger-ui", "swagger-ui-dist/swagger-ui-bundle.js"),
    ("vendor/swagger-ui", "swagger-ui-dist/swagger-ui.css"),
    ("vendor/swagger-ui", "swagger-ui-dist/swagger-ui.css.map"),
    ("vendor/swagger-ui", "swagger-ui-dist/LICENSE"),
    ("vendor/swagger-ui", "swagger-ui-dist/NOTICE"),
]
# Only the hashed names are kept and compressed: every page names its files through {% static %}, and
# compressing each file twice doubled the time collectstatic takes at every `make run`.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
STORAGES = {
    # Documents in an S3-compatible bucket when QINGSHEN_S3_BUCKET is set (core/multinode.py), else
    # under MEDIA_ROOT.
    "default": multinode.s3_storage() or {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("QINGSHEN_MANIFEST_STATIC", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded files live outside the static root and are served only through authorising views.
MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "media")
# No URL serves MEDIA_ROOT: documents go out only through the authorising download view, and the reverse
# proxy must not map this path either. (Django needs a value; its test live server would serve it.)
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security ---------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("QINGSHEN_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
    if not SECURE_HSTS_PRELOAD:
        # An intranet host name cannot be on the browsers' preload list: that check does not apply.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- Mail: console in development, SMTP from the environment in production ---------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "qingshen@localhost")
# Where the file-based mail backend (the demo's) writes each mail.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

# Content security policy: everything from our own origin, no inline script (qingshen/static/qingshen/*.js).
QINGSHEN_CSP = env_str(
    "QINGSHEN_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
# Where `manage.py prune_log` writes the archive before deleting old log rows, and backups go.
QINGSHEN_LOG_ARCHIVE_DIR = env_path("QINGSHEN_LOG_ARCHIVE_DIR", VAR_DIR / "log-archive")
QINGSHEN_BACKUP_DIR = env_path("QINGSHEN_BACKUP_DIR", VAR_DIR / "backups")
# Personal data encryption key (AES-256-GCM), base64 of 32 bytes; see README "Data protection".
QINGSHEN_DATA_KEY = env_str("QINGSHEN_DATA_KEY", "")
# A certified crypto device replaces the key service by naming its class (accounts/keyservice.py).
QINGSHEN_KEY_SERVICE = env_str("QINGSHEN_KEY_SERVICE", "qingshen.core.keyservice.EnvKeyService")
# The operation log: checkpoints, their file, the verifier (qingshen/settings_log.py).
from qingshen.settings_log import *  # noqa: E402, F403

OTP_TOTP_ISSUER = "qingshen"
# Second factor (GB/T 22239-2019 level 3 asks for two factors at login, and names no numbers here):
# the second step must follow the password within this many seconds, and enrolment hands out this many single-use
# recovery codes (qingshen default, local practice).
QINGSHEN_LOGIN_SECOND_STEP_SECONDS = env_int("QINGSHEN_LOGIN_SECOND_STEP_SECONDS", 300)
QINGSHEN_OTP_RECOVERY_CODES = env_int("QINGSHEN_OTP_RECOVERY_CODES", 10)

# --- qingshen ---------------------------------------------------------------------------------------
# Case documents (withdrawal proof and, later, every uploaded material): size limit in bytes.
QINGSHEN_UPLOAD_MAX_BYTES = env_int("QINGSHEN_UPLOAD_MAX_BYTES", 100 * 1024 * 1024)
# Days before a deadline at which a case shows as "due soon" in lists.
QINGSHEN_DUE_SOON_DAYS = env_int("QINGSHEN_DUE_SOON_DAYS", 7)
# Rows per list page. The 三员 pages (operation log, role grants) show longer pages on purpose: the
# auditor and the security administrator scan many short rows at once.
QINGSHEN_PAGE_SIZE = env_int("QINGSHEN_PAGE_SIZE", 25)
QINGSHEN_ADMIN_PAGE_SIZE = env_int("QINGSHEN_ADMIN_PAGE_SIZE", 50)
# Long lists (the case list) count their rows exactly up to this many; beyond it, on PostgreSQL, they show the
# planner's estimate ("about N cases") instead of counting every row on every page.
QINGSHEN_LIST_EXACT_COUNT_UP_TO = env_int("QINGSHEN_LIST_EXACT_COUNT_UP_TO", 10_000)
# Short "first few" panels that link on to a full list: the home page's next deadlines and programmes,
# the recent uploads beside the import form.
QINGSHEN_SHORTLIST_ROWS = env_int("QINGSHEN_SHORTLIST_ROWS", 10)
# Expert panels. Their size and floor, the trimmed mean's minimum of sheets and the agency rating scale are Rule rows
# the city edits (qingshen.reviews.rules). The chair is the first seat drawn; a redraw of the chair's seat inherits it.
QINGSHEN_PANEL_CHAIR = env_str("QINGSHEN_PANEL_CHAIR", "first_drawn")
# Objections to a 公示 of review results one address may lodge per hour (0 = no limit): the form is
# public, so this keeps one sender from flooding the organiser's queue.
QINGSHEN_OBJECTIONS_PER_HOUR = env_int("QINGSHEN_OBJECTIONS_PER_HOUR", 5)
# The panel's result from the experts' totals: "mean" (default) or "trimmed_mean" (drops the highest and
# the lowest total once the rule review_trimmed_mean_min_sheets, at least three, sheets are in).
QINGSHEN_PANEL_RESULT = env_str("QINGSHEN_PANEL_RESULT", "mean")
# The CJK font opinions are rendered with (Debian fonts-wqy-microhei, installed by scripts/ensure-system-packages.sh).
QINGSHEN_OPINION_FONT = env_str("QINGSHEN_OPINION_FONT", "WenQuanYi Micro Hei")
# Enterprise portal. A zip upload may unpack to at most this many bytes and hold at most this many files (zip bombs).
QINGSHEN_ZIP_MAX_UNCOMPRESSED_BYTES = env_int("QINGSHEN_ZIP_MAX_UNCOMPRESSED_BYTES", 500 * 1024 * 1024)
QINGSHEN_ZIP_MAX_MEMBERS = env_int("QINGSHEN_ZIP_MAX_MEMBERS", 2000)
# The address the site is reached at, for links in mails sent outside a request (invitations).
QINGSHEN_BASE_URL = env_str("QINGSHEN_BASE_URL", "http://localhost:8000")
# Days a first-login link (an enterprise's or an expert's account) stays valid.
QINGSHEN_INVITATION_DAYS = env_int("QINGSHEN_INVITATION_DAYS", 14)
# The audit's base year (审核基准年) may be at most this many years before the list's year; option
# dates may start on 1 January of the base year. No national rule found [U]: the usual base year is the
# last full year before the audit (HJ 469 预审核), 3 leaves room for a late start; the bureau changes it.
QINGSHEN_BASE_YEAR_MAX_BEFORE_LIST = env_int("QINGSHEN_BASE_YEAR_MAX_BEFORE_LIST", 3)
# A cleaner production target's year (清洁生产目标的目标年) may be at most this many years after the
# list's year. No national rule found [U]: targets are set for the audit round (HJ 469 预审核, short-term
# targets within the round); 5 covers a round with a late acceptance; the bureau changes it.
QINGSHEN_TARGET_YEAR_MAX_AFTER_LIST = env_int("QINGSHEN_TARGET_YEAR_MAX_AFTER_LIST", 5)
# The enterprise's option table (xlsx import): largest file and most rows accepted.
QINGSHEN_OPTION_IMPORT_MAX_BYTES = env_int("QINGSHEN_OPTION_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
QINGSHEN_OPTION_IMPORT_MAX_ROWS = env_int("QINGSHEN_OPTION_IMPORT_MAX_ROWS", 1000)

# List imports (Excel/CSV): refused above these sizes before any parsing. A zip whose parts would
# expand beyond the uncompressed limit, or by more than the ratio, is treated as a zip bomb.
QINGSHEN_IMPORT_MAX_BYTES = env_int("QINGSHEN_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
QINGSHEN_IMPORT_MAX_UNZIPPED_BYTES = env_int("QINGSHEN_IMPORT_MAX_UNZIPPED_BYTES", 200 * 1024 * 1024)
QINGSHEN_IMPORT_MAX_RATIO = env_int("QINGSHEN_IMPORT_MAX_RATIO", 100)
QINGSHEN_IMPORT_MAX_ROWS = env_int("QINGSHEN_IMPORT_MAX_ROWS", 50000)

# Background work (large imports): django-tasks with its database backend; run `manage.py db_worker`.
# Notifications: mail is sent by the worker, retried with a doubling delay; SMS only through
# a deployment's own sender class (dotted path), none built in.
QINGSHEN_DELIVERY_MAX_ATTEMPTS = env_int("QINGSHEN_DELIVERY_MAX_ATTEMPTS", 5)
QINGSHEN_DELIVERY_RETRY_SECONDS = env_int("QINGSHEN_DELIVERY_RETRY_SECONDS", 60)
QINGSHEN_SMS_SENDER = env_str("QINGSHEN_SMS_SENDER", "")

# Files no record names (a process died between storing a file and committing its record) are removed
# by `manage.py reconcile_files` (and the sweep) once older than this. A younger file may belong to a
# transaction still open; the longest that store files are an upload request (gunicorn cuts it at 30 s)
# and a generated letter or opinion pair (seconds), so a day is far beyond them, and leaves an operator
# time to look at an orphan first; backups skip orphans of any age, so keeping them costs only disk
# (qingshen default, local practice).
# A background job's lease (jobs/leases.py): its worker renews it every quarter of this; a lease not
# renewed for this long means the worker is gone and the job is declared lost (its import back to
# "ready", its mail to be retried). Four missed beats: a live worker misses one at most (a beat waiting
# out SQLite's 5 s busy timeout or a slow query), while a dead one's job is put right within about
# this long after a worker or the sweep next looks (qingshen default, local practice). On SQLite it must
# exceed the longest write transaction of a job (a large import's commit), as beats wait for it.
QINGSHEN_JOB_LEASE_SECONDS = env_float("QINGSHEN_JOB_LEASE_SECONDS", 120)
# A lost job that is safe to run again (an import's check, a list's letters) is re-queued this many
# times; a job lost more often than that is taking its worker down and is left failed, with a message
# (qingshen default, local practice).
QINGSHEN_JOB_LOST_RETRIES = env_int("QINGSHEN_JOB_LOST_RETRIES", 1)
# On Redis (QINGSHEN_TASKS_QUEUE=redis) a finished job's result is kept this long, then RQ drops it; the
# pages read a job's effect from the database, so this only bounds `get_result` (a week: an operator's
# look at last week's jobs; failed jobs RQ keeps a year). qingshen default, local practice.
QINGSHEN_RQ_RESULT_SECONDS = env_int("QINGSHEN_RQ_RESULT_SECONDS", 7 * 24 * 3600)

QINGSHEN_ORPHAN_FILE_HOURS = env_float("QINGSHEN_ORPHAN_FILE_HOURS", 24)

# Background jobs on the database queue (default) or on Redis: QINGSHEN_TASKS_QUEUE (core/multinode.py).
_tasks = multinode.tasks_queue(REDIS_URL)
TASKS = _tasks["TASKS"]
if "RQ_QUEUES" in _tasks:
    RQ_QUEUES, RQ = _tasks["RQ_QUEUES"], _tasks["RQ"]
    INSTALLED_APPS += ["django_rq"]  # its `rqworker` command and the queues' admin page

# Behind a reverse proxy that sets X-Forwarded-For, log the client's address instead of the proxy's.
QINGSHEN_TRUST_X_FORWARDED_FOR = env_bool("QINGSHEN_TRUST_X_FORWARDED_FOR")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Early-warning notices (oversight.warning_notices.warnings_notify): a deadline that was already more than
# this many days overdue when its warning was recorded (e.g. the first sweep over an imported
# database) is shown on the warnings page but not mailed. qingshen default, local practice.
QINGSHEN_WARNING_NOTICE_MAX_DAYS_LATE = env_int("QINGSHEN_WARNING_NOTICE_MAX_DAYS_LATE", 7)

# The dashboard's figures are cached per scope while no event has been written (0 = never cached).
QINGSHEN_DASHBOARD_CACHE_SECONDS = env_int("QINGSHEN_DASHBOARD_CACHE_SECONDS", 600)

# The REST API (/api/v1/): DRF and the OpenAPI schema's settings (qingshen/settings_api.py).
REST_FRAMEWORK = settings_api.rest_framework(page_size=QINGSHEN_PAGE_SIZE)
SPECTACULAR_SETTINGS = settings_api.SPECTACULAR_SETTINGS
# The longest a personal API token may live, in days (the bureau's security policy; a setting, not a rule
# of the procedure).
QINGSHEN_API_TOKEN_MAX_DAYS = env_int("QINGSHEN_API_TOKEN_MAX_DAYS", 365)
# Requests per token (else per user, else per address for the anonymous), as DRF rates "<n>/<s|m|h|d>":
# reads, writes, and callers without credentials. Counted in the default cache, so per process unless
# a shared cache is configured.
QINGSHEN_API_RATE_READ = env_str("QINGSHEN_API_RATE_READ", "600/min")
QINGSHEN_API_RATE_WRITE = env_str("QINGSHEN_API_RATE_WRITE", "120/min")
QINGSHEN_API_RATE_ANON = env_str("QINGSHEN_API_RATE_ANON", "60/min")
# A refused token is logged at most once per this many seconds per address and reason, so a flood of
# bad keys cannot flood the operation log.
QINGSHEN_API_REFUSAL_LOG_SECONDS = env_int("QINGSHEN_API_REFUSAL_LOG_SECONDS", 60)

"""Settings of Proposal Tracker, read from the environment.

With no DATABASE_URL and no REDIS_URL the service runs on an embedded default
(SQLite and a filesystem Celery broker under var/), so `make run` needs no servers.
With DEBUG off the production switches (HTTPS, secure cookies, HSTS) are on.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from tracker.env import env, envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("TRACKER_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)
# With DEBUG off and no SECRET_KEY the key stays empty: commands that sign nothing (migrate,
# check --deploy, celery) still run, anything that would sign fails with Django's "SECRET_KEY must
# not be empty", and the web server (tracker/wsgi.py: gunicorn, runserver) refuses to start.
SECRET_KEY = env("SECRET_KEY") or ("dev-only-insecure-key-do-not-use-in-production" if DEBUG else "")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "tracker.apps.TrackerAdminConfig",  # django.contrib.admin with the project's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "import_export",
    "tracker.apps.LoginLockoutConfig",  # django-axes, with a Chinese heading
    "tracker",
    "proposals",
    "replies",
    "notifications",
    "letters",
    "reports",
    "intake",
    "workbench",
    "backups",
    "members",
    "submissions",
    "supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tracker.middleware.ChinesePagesLocaleMiddleware",  # Accept-Language for the API only
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with tracker.lockout's page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

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
                "tracker.alerts.admin_alerts",
            ],
        },
    },
]

# Database: PostgreSQL from DATABASE_URL, else SQLite under var/.
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # a fresh clone has no var/ yet
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "tracker.sqlite3",
            # web, worker and beat write from separate processes: take the write
            # lock at BEGIN and wait for it instead of failing with "database is locked".
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Content-Security-Policy (django-csp): everything from this site only, no inline script anywhere.
# The public pages' own <style> carries the request's nonce; style attributes stay allowed (the
# admin colours deadlines with them, and an attribute cannot run code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],  # the admin's and Swagger UI's icons are data: URIs
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Brute force on the admin login (and the API token): django-axes locks a username + client address
# pair after AXES_FAILURE_LIMIT failures for AXES_COOLOFF_TIME; while locked even the right password
# is refused. Attempts are kept in the database (shared by every process) and clerks see them in
# the admin (登录失败记录), where deleting one lifts the lock.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tracker.lockout.lockout_response"
AXES_VERBOSE = False
if envint("API_NUM_PROXIES", 0):  # the client's address as the trusted proxies saw it (see NUM_PROXIES)
    AXES_IPWARE_PROXY_COUNT = envint("API_NUM_PROXIES", 0)
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            # The manifest needs `collectstatic`; tests and development run without it.
            if DEBUG or not envbool("STATIC_MANIFEST", True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Mail
# Development with no mail server configured writes each message to a file under var/mail/.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG and not env("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "提案办理追踪 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set, else kombu's filesystem transport under var/.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600)}
else:
    _broker_dir = VAR_DIR / "broker"
    # Made here, not by `make run`: any process may enqueue first (manage.py create_demo_accounts does).
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    # Every folder absolute, or each process reads its own working directory.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["tracker.authentication.HashedTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "tracker.api.Pagination",
    # Every list: unknown or repeated query parameters and unreadable values are a 400 naming them.
    "DEFAULT_FILTER_BACKENDS": ["tracker.api.StrictFilterBackend"],
    "PAGE_SIZE": 20,
    # JSON in, UTF-8 JSON out (orjson; Chinese unescaped): the API serves apps, not browsers.
    "DEFAULT_RENDERER_CLASSES": ["tracker.api.ORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["tracker.api.ORJSONParser"],
    "EXCEPTION_HANDLER": "tracker.api.exception_handler",
    # No OPTIONS metadata: the OpenAPI schema is the description of the API.
    "DEFAULT_METADATA_CLASS": None,
    # Client address for throttling: REMOTE_ADDR unless we sit behind N trusted proxies (a client
    # could otherwise pick its own X-Forwarded-For and never be throttled).
    "NUM_PROXIES": envint("API_NUM_PROXIES", 0),
    "DEFAULT_THROTTLE_RATES": {
        # Token requests (brute-force protection): per client address and per username.
        "token_address": env("API_TOKEN_RATE_ADDRESS", "20/min"),
        "token_user": env("API_TOKEN_RATE_USER", "10/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Proposal Tracker API / 提案办理追踪接口",
    "DESCRIPTION": (
        "委员/代表查询本人提案/建议的办理情况、阅读答复并评价;公众查阅已公开的答复。"
        "认证:`POST /api/v1/auth/token/` 取得令牌后在请求头发送 `Authorization: Token <token>`。"
        "错误为 JSON `{code, detail, fields?}`,`detail` 按 Accept-Language 为中文或英文。\n\n"
        "Members and deputies follow their own proposals, read replies and rate them; the public reads "
        "published replies. Errors are JSON `{code, detail, fields?}` with `detail` in Chinese or English "
        "per Accept-Language; another member's object answers 404."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Enum components named after the models' fields, not guessed from their choices.
    "ENUM_NAME_OVERRIDES": {
        "ProposalStatusEnum": "proposals.models.Proposal.Status",
        "ProposalKindEnum": "proposals.models.Proposal.Kind",
        "ProposalCategoryEnum": "proposals.models.Proposal.Category",
        "RatingEnum": "replies.models.Rating",
        "DraftKindEnum": "submissions.models.Draft.Kind",
    },
}

# Cache: throttle counters and login lockouts must be shared by every web process, so production
# points CACHE_URL at Redis. Without it and with DEBUG off, the database cache (its table is made by
# migration tracker/0002) — never a per-process memory, which would let each gunicorn worker allow
# the limit again. Only `make run` (DEBUG, one process) keeps memory.
CACHE_URL = env("CACHE_URL")
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "tracker_cache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# Production safety: everything `check --deploy` asks for, on whenever DEBUG is off.
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # probes inside the compose network speak plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# --- notifications ---
# Reminders (docs/domain.md, notices and reminders). Times in seconds unless the name says days. See notifications/sending.py.
NOTIFICATION_BACKENDS = {
    "in_app": "notifications.backends.InAppBackend",
    "email": "notifications.backends.EmailBackend",
}
NOTIFICATION_CLAIM_LEASE = envint("NOTIFICATION_CLAIM_LEASE", 600)  # > CELERY_TASK_TIME_LIMIT: a live send is never taken over
NOTIFICATION_NUDGE_AFTER = envint("NOTIFICATION_NUDGE_AFTER", 300)  # re-enqueue a planned row whose message went missing
NOTIFICATION_RETRY_BASE = envint("NOTIFICATION_RETRY_BASE", 60)
NOTIFICATION_RETRY_MAX = envint("NOTIFICATION_RETRY_MAX", 3600)
NOTIFICATION_MAX_ATTEMPTS = envint("NOTIFICATION_MAX_ATTEMPTS", 6)
NOTIFICATION_CATCH_UP_DAYS = envint("NOTIFICATION_CATCH_UP_DAYS", 7)  # a sweep missed for up to this long is caught up
NOTIFICATION_BATCH_SIZE = envint("NOTIFICATION_BATCH_SIZE", 500)
NOTIFICATION_SWEEP_MINUTES = envint("NOTIFICATION_SWEEP_MINUTES", 5)  # initial beat interval; the office edits it in the admin
NOTIFICATION_MEMBER_LINK = env("NOTIFICATION_MEMBER_LINK", "/my/proposals/{proposal_id}/")  # a member's own page
NOTIFICATION_MESSAGE_ID_DOMAIN = env(
    "NOTIFICATION_MESSAGE_ID_DOMAIN", (SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost")
)
NOTIFICATION_DIGEST_HOUR = envint("NOTIFICATION_DIGEST_HOUR", 8)  # daily digest mail, office time (Asia/Shanghai)

# --- backups ---
# Archives of the database and media (backups/services.py); the compose backup service keeps the
# newest of each of the last N days and M months.
BACKUP_DIR = Path(env("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP_DAILY = envint("BACKUP_KEEP_DAILY", 7)
BACKUP_KEEP_MONTHLY = envint("BACKUP_KEEP_MONTHLY", 12)
BACKUP_WARN_AFTER_HOURS = envint("BACKUP_WARN_AFTER_HOURS", 36)  # daily backups: one missed run is warned

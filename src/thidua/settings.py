"""Thidua settings, driven by environment variables.

THIDUA_ENV=production switches on the production posture (no DEBUG, secure cookies, HSTS) and then
requires SECRET_KEY and ALLOWED_HOSTS; a bad value fails at start, not at the first request.
"""

import ipaddress
import os
import re
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from error


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


THIDUA_ENV = os.environ.get("THIDUA_ENV", "development")
if THIDUA_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"THIDUA_ENV must be development, production or test, got {THIDUA_ENV!r}"
    )
PRODUCTION = THIDUA_ENV == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    SECRET_KEY = "dev-only-insecure-key-0123456789-abcdefghijklmnopqrstuvwxyz-thidua"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if not ALLOWED_HOSTS:
    if PRODUCTION:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "ninja",
    "csp",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "thidua.core",
    "thidua.org",
    "thidua.accounts",
    # concepts shared by several domain apps (fields of work, councils), below every domain app
    "thidua.shared",
    "thidua.movements",
    "thidua.practices",
    "thidua.initiatives",
    "thidua.honors",
    "thidua.surveys",
    "thidua.publishing",
    "thidua.mobilization",
    # the demo seeders sit above every domain app (new apps go above this line)
    "thidua.cultural_titles",
    "thidua.training",
    "thidua.reports",
    "thidua.clusters",
    "thidua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # stored public pages for anonymous visitors, before sessions, CSRF, auth, messages and CSP
    "thidua.core.public_cache.PublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "thidua.core.middleware.LanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "thidua.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]
METRICS_ENABLED = env_bool("METRICS_ENABLED", True)
if METRICS_ENABLED:
    MIDDLEWARE.insert(0, "thidua.core.health.MetricsMiddleware")

ROOT_URLCONF = "thidua.urls"
WSGI_APPLICATION = "thidua.wsgi.application"

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
                "thidua.accounts.context_processors.staff_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60 if PRODUCTION else 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # Two people saving at once must both succeed: a write transaction takes the lock when it
    # begins (IMMEDIATE) and waits up to 20 s for the other instead of failing with "database is
    # locked" half-way; WAL lets readers go on while one writes.
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}

# A streaming replica of the primary (PostgreSQL): read-only public pages, dashboards and exports
# read from it (thidua.core.dbrouter), unless the visitor wrote in the last
# READ_YOUR_WRITES_SECONDS, or the replica is down or lags more than REPLICA_MAX_LAG_SECONDS.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 10)
REPLICA_CHECK_SECONDS = env_int("REPLICA_CHECK_SECONDS", 5)
READ_YOUR_WRITES_SECONDS = env_int("READ_YOUR_WRITES_SECONDS", 10)
# Paths (regular expressions, matched from the start of the path) whose GET/HEAD may read from
# the replica: public pages, dashboards, exports and public API lists.
REPLICA_PATHS = env_list(
    "REPLICA_PATHS",
    [r"/$", r"/p/", r"/movements/\d+/dashboard", r".*\.xlsx$", r"/api/v1/units/"],
)
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0),
    )
    # a replica that does not answer is skipped quickly rather than hanging the page
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["thidua.core.dbrouter.ReplicaRouter"]
    # chooses where the request reads before anything reads (the session, the user)
    MIDDLEWARE.insert(
        MIDDLEWARE.index("thidua.core.public_cache.PublicPageMiddleware") + 1,
        "thidua.core.dbrouter.ReplicaMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "staff_home"
LOGOUT_REDIRECT_URL = "core:home"

# Login throttling: lock a username from one address after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Axes keys attempts on the same client address as every other limit (see TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "thidua.core.limits.client_ip"

# The reverse proxies in front of the site (addresses or networks, comma-separated): only when
# the peer is one of them is X-Forwarded-For read, from the right, for the client's address.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1", "::1"] if PRODUCTION else [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an address or a network"
        ) from _error

# Abuse limits (count/period, period s, m, h or d), counted on the cache (thidua.core.limits).
RATE_LIMITS = {
    # anonymous initiative submissions (web form and API) from one client address
    "initiative_submission": os.environ.get("RATE_LIMIT_SUBMISSIONS", "5/h"),
    # confirmation emails sent to one address for anonymous submissions
    "confirmation_email": os.environ.get("RATE_LIMIT_CONFIRMATION_EMAILS", "3/d"),
    # comments on public notices of proposed honours from one client address
    "notice_comment": os.environ.get("RATE_LIMIT_COMMENTS", "5/h"),
    # password reset requests from one client address, and for one email address
    "password_reset": os.environ.get("RATE_LIMIT_PASSWORD_RESETS", "5/h"),
    "password_reset_email": os.environ.get("RATE_LIMIT_PASSWORD_RESET_EMAILS", "3/h"),
    # login attempts from one client address, whatever the account (axes locks one account
    # from one address after AXES_FAILURE_LIMIT failures)
    "login": os.environ.get("RATE_LIMIT_LOGINS", "30/h"),
}
for _name, _rate in RATE_LIMITS.items():
    if not re.fullmatch(r"\d+/\d*[smhd]", _rate):
        raise ImproperlyConfigured(f"rate limit {_name}: {_rate!r} is not like 5/h")

# The counters live in this cache, and so do sessions when it is Redis: local memory counts per
# process (the demo); production with several processes needs a shared cache:
# CACHE_URL=redis://host:6379/1 (Django's Redis cache backend). REDIS_URL alone serves both
# the queue (TASKS_BACKEND=rq) and the cache (its database number + 1).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_URL = os.environ.get("CACHE_URL", "")
if not CACHE_URL and REDIS_URL:
    _base, _slash, _number = REDIS_URL.rstrip("/").rpartition("/")
    CACHE_URL = f"{_base}/{int(_number) + 1}" if _number.isdigit() else f"{REDIS_URL}/1"
REDIS_CACHE = CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
if CACHE_URL and not REDIS_CACHE:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL, got {CACHE_URL.split(':')[0]!r}")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "thidua"),
        }
        if REDIS_CACHE
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Grants and the two-factor step are kept between requests only where every web process sees the
# same cache (Redis), or where there is one process (development, tests): with the local-memory
# cache under several gunicorn workers, an ended grant would live on in the other workers.
CACHE_GRANTS = env_bool("CACHE_GRANTS", REDIS_CACHE or not PRODUCTION)
# Sessions: in the database (the demo); with Redis, read from the cache and written through to
# the database, so every web process sees them and a cache flush logs nobody out.
SESSION_ENGINE = os.environ.get(
    "SESSION_ENGINE",
    "django.contrib.sessions.backends.cached_db"
    if REDIS_CACHE
    else "django.contrib.sessions.backends.db",
)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English")), ("id", _("Indonesian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# dd/mm/yyyy for dates; numbers, shares and money go through thidua.core.formatting
FORMAT_MODULE_PATH = ["thidua.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
# Public files only (award emblems), served at /media/. Everything else uploaded is private:
# stored under PRIVATE_MEDIA_ROOT, outside any public location, and served by the `core:file`
# view after a permission check. With PRIVATE_FILES_X_ACCEL_PREFIX set (e.g. "/_private/"), that
# view hands the bytes to nginx (an `internal` location aliased to PRIVATE_MEDIA_ROOT).
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", PROJECT_DIR / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", PROJECT_DIR / "var" / "private"))
PRIVATE_FILES_X_ACCEL_PREFIX = os.environ.get("PRIVATE_FILES_X_ACCEL_PREFIX", "")
# Public files (award emblems) served by the application itself (the demo, development);
# production leaves them to the web server or object storage.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not PRODUCTION)
STORAGES = {
    "default": {"BACKEND": "thidua.core.uploads.PrivateStorage"},
    "private": {"BACKEND": "thidua.core.uploads.PrivateStorage"},
    "public": {"BACKEND": "thidua.core.uploads.PublicStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploads and generated files on S3-compatible object storage (django-storages) instead of
# MEDIA_ROOT/PRIVATE_MEDIA_ROOT: MEDIA_STORAGE=s3 with S3_BUCKET, S3_ENDPOINT_URL (MinIO, Ceph,
# a cloud), S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_REGION. Uploads are private objects,
# handed out only by the permission-checking views; award emblems are public objects.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE not in {"filesystem", "s3"}:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, got {MEDIA_STORAGE!r}")
if MEDIA_STORAGE == "s3":
    if not os.environ.get("S3_BUCKET"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET")
    _s3 = {
        "bucket_name": os.environ["S3_BUCKET"],
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": env_int("S3_URL_EXPIRE", 300),
        "file_overwrite": False,
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": os.environ.get("S3_PRIVATE_BUCKET") or _s3["bucket_name"],
            "location": os.environ.get("S3_PRIVATE_PREFIX", "private"),
        },
    }
    # As on disk, a file is private unless stored explicitly in the public storage.
    STORAGES["default"] = STORAGES["private"]
    # Public files (award emblems) readable by anyone at a stable address: the public pages
    # that show them are cached, so a signed link would expire inside a cached page.
    STORAGES["public"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "location": os.environ.get("S3_MEDIA_PREFIX", "media"),
            "default_acl": "public-read",
            "querystring_auth": False,
        },
    }

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Thidua <no-reply@thidua.local>")

# Background tasks: in the database (django-tasks-db; `manage.py db_worker`), or on Redis with RQ
# workers (TASKS_BACKEND=rq and REDIS_URL; `manage.py rqworker default`).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
if TASKS_BACKEND in {"rq", "django_tasks_rq.RQBackend"}:
    TASKS_BACKEND = "django_tasks_rq.RQBackend"
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {
        "default": {
            "URL": REDIS_URL,
            # a task running longer than this is stopped (certificates go in chunks)
            "DEFAULT_TIMEOUT": env_int("RQ_JOB_TIMEOUT", 1800),
        }
    }
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}
# Certificates rendered per background task: a decision's batch is split into chunks that
# several workers share; the ZIP is assembled by whichever finishes the last one.
CERTIFICATE_CHUNK_SIZE = env_int("CERTIFICATE_CHUNK_SIZE", 25)

SESSION_COOKIE_AGE = 60 * 60 * 12
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # probes from the load balancer and Prometheus come over plain HTTP on the private network
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy: every script, style, image and font from the site itself; no inline
# script anywhere (htmx and thidua.js are static files; htmx needs no eval). Inline styles are
# allowed: the server-drawn SVG charts and Swagger UI set them. Enforced in production; in
# development only reported (the browser's console names a violation, Django's debug pages work).
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if PRODUCTION:
    CONTENT_SECURITY_POLICY = _CSP
else:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
# Permissions-Policy: none of the browser's powerful features is used by any page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Logs on stderr: text, or one JSON object a line (LOG_FORMAT=json) for a log collector.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "thidua.core.logjson.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Prometheus metrics at /metrics, for the addresses in METRICS_ALLOWED_IPS (the peer address,
# never X-Forwarded-For) or a request bearing "Authorization: Bearer METRICS_TOKEN".
# Several gunicorn workers: PROMETHEUS_MULTIPROC_DIR, an empty folder (see docs/deploy.md).
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])

NINJA_PAGINATION_PER_PAGE = 50
WHITENOISE_USE_FINDERS = not PRODUCTION
if WHITENOISE_USE_FINDERS:
    # Served from the apps' static folders: no collectstatic, so no STATIC_ROOT to warn about.
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

# The address people use to reach the site, for links in emails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

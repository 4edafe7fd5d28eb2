"""Settings, read from the environment; a missing or malformed value in production fails loudly.

KTTC_ENV selects the profile: ``development`` (the default: ``make run`` on the embedded SQLite),
``test`` (the suite) or ``production`` (no secret defaults; SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL must be set). DATABASE_URL selects the database: ``sqlite:///var/kttc.sqlite3`` or
``postgres://user:password@host:5432/name``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

from kttc.core.observability.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KTTC_VAR_DIR", BASE_DIR / "var"))

ENVIRONMENTS = ("development", "test", "production")
# Under pytest the profile defaults to "test", so a bare `pytest` behaves like `make test`.
KTTC_ENV = os.environ.get("KTTC_ENV") or ("test" if "pytest" in sys.modules else "development")
if KTTC_ENV not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"KTTC_ENV must be one of {', '.join(ENVIRONMENTS)}; it is {KTTC_ENV!r}."
    )
PRODUCTION = KTTC_ENV == "production"


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set in the environment when KTTC_ENV={KTTC_ENV}."
        )
    return value


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false; it is {raw!r}.")


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number above 0; it is {raw!r}.")
    return value


def _count_up_to(name: str, default: int, most: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if not (raw.strip().isascii() and raw.strip().isdigit()) or int(raw) > most:
        raise ImproperlyConfigured(
            f"{name} must be a whole number from 0 to {most}; it is {raw!r}."
        )
    return int(raw)


def _count(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if not (raw.strip().isascii() and raw.strip().isdigit()) or int(raw) > 10:
        raise ImproperlyConfigured(f"{name} must be a whole number from 0 to 10; it is {raw!r}.")
    return int(raw)


if PRODUCTION:
    SECRET_KEY = _required("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must have at least 50 characters in production.")
    ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
    DEBUG = False
else:
    # A fixed key is acceptable only outside production, where nothing real is signed.
    SECRET_KEY = os.environ.get(
        "SECRET_KEY", "kttc-development-key-not-for-production-use-0123456789"
    )
    ALLOWED_HOSTS = [
        h.strip()
        for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    ]
    DEBUG = _flag("DEBUG", KTTC_ENV == "development")


def _database() -> dict[str, object]:
    default_url = f"sqlite:///{VAR_DIR / 'kttc.sqlite3'}"
    url = _required("DATABASE_URL") if PRODUCTION else os.environ.get("DATABASE_URL", default_url)
    if not url.startswith(("sqlite://", "postgres://", "postgresql://")):
        raise ImproperlyConfigured(
            "DATABASE_URL must start with sqlite:/// or postgres://; "
            f"it starts with {url.split(':', 1)[0]!r}."
        )
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # IMMEDIATE: a transaction takes the write lock when it starts, so two writers never
            # deadlock half-way and the audit chain is appended by one writer at a time.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; "
            "PRAGMA mmap_size=1073741824; "
            # REPLACE fires delete triggers too: the append-only guard holds (M14.1).
            "PRAGMA recursive_triggers=ON;",
        }
        config["TEST"] = {"NAME": os.environ.get("KTTC_TEST_SQLITE")}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "ninja",
    "django_htmx",
    "kttc.core",
    "kttc.registry",
    "kttc.reform",
    "kttc.benefits",
    "kttc.center",
    "kttc.oversight",
]

MIDDLEWARE = [
    # First: request ids, health probes, request metrics and log lines (kttc.core.observability)
    "kttc.core.observability.middleware.ObservabilityMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kttc.core.languages.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kttc.core.middleware.ContentSecurityPolicyMiddleware",
]

# PostgreSQL with a streaming replica (README "PostgreSQL with a replica"): when
# DATABASE_REPLICA_URL is set, the public pages' reads that may lag go to it (kttc/core/routing.py);
# writes, transactions, the back office and a client that has just written go to the primary.
# Unset: one database, as before.
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if _replica_url:
    if not _replica_url.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must start with postgres://.")
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL on PostgreSQL.")
    try:
        _replica: dict[str, object] = dict(dj_database_url.parse(_replica_url, conn_max_age=60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL cannot be read: {exc}") from exc
    # Tests: the replica is a mirror of the test database (it receives it through the WAL).
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["kttc.core.routing.PrimaryReplicaRouter"]
    MIDDLEWARE.append("kttc.core.routing.ReplicaReadsMiddleware")
# Seconds a client that wrote reads from the primary (read-your-writes).
KTTC_REPLICA_PIN_SECONDS = int(os.environ.get("KTTC_REPLICA_PIN_SECONDS", "10"))

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kttc" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kttc.core.context_processors.kttc",
                "kttc.center.rates.context.currency",
            ],
        },
    }
]

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "office:home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): five failures lock the account from one address for 15
# minutes; others still sign in to it from elsewhere. The address is the client's, read behind
# KTTC_TRUSTED_PROXIES reverse proxies (kttc.core.addresses), never the proxy's own.
KTTC_TRUSTED_PROXIES = _count("KTTC_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "kttc.core.addresses.client_address"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form names the e-mail field "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = _flag("AXES_ENABLED", True)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
    ("vi", "Tiếng Việt"),
    ("th", "ไทย"),
    ("lo", "ລາວ"),
    ("my", "မြန်မာ"),
    ("km", "ខ្មែរ"),
]
# Django knows no Lao, and names Khmer in English: the language switch shows each in its own.
LANG_INFO.update(
    {
        "lo": {"bidi": False, "code": "lo", "name": "Lao", "name_local": "ລາວ"},
        "km": {"bidi": False, "code": "km", "name": "Khmer", "name_local": "ខ្មែរ"},
    }
)
LOCALE_PATHS = [BASE_DIR / "kttc" / "locale"]
# ISO date inputs and CLDR separators in every language (kttc/core/formats); pages show dates
# through Babel (kttc.core.dates).
FORMAT_MODULE_PATH = ["kttc.core.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "kttc" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = not PRODUCTION

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "KTTC <noreply@kttc.example>")
# Where the platform is reached, for the links of e-mails sent without a request (the sweep).
KTTC_SITE_URL = os.environ.get("KTTC_SITE_URL") or (
    f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
    if PRODUCTION
    else f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
)
# How many days before a due date the sweep reminds (`kttc sweep`). The measures set the due
# dates (M8.6: 3 months, a policy parameter) but no reminder, so this is a setting.
KTTC_DUE_REMINDER_DAYS = _positive_int("KTTC_DUE_REMINDER_DAYS", 30)

# Content-Security-Policy of every response (kttc.core.middleware): everything from the
# platform itself, no inline script without the request's nonce, no inline style, no framing.
KTTC_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if DEBUG:
    # Django's debug pages (the technical 404 and 500) style themselves inline; only in
    # development, never in production (DEBUG is off there).
    KTTC_CONTENT_SECURITY_POLICY["style-src"].append("'unsafe-inline'")

KTTC_SEARCH_DIR = Path(os.environ.get("KTTC_SEARCH_DIR", VAR_DIR / "search"))
#: Cross-language search (kttc.center.search.embedding): "e5" or "off"; and who encodes new
#: results: "thread" (in the background of the process that changed them), "inline",
#: "external" (`kttc search embed --follow`) or "queue" (a worker of the task queue, once for
#: every node: the default with KTTC_BROKER_URL).
KTTC_EMBEDDINGS = os.environ.get("KTTC_EMBEDDINGS", "off" if KTTC_ENV == "test" else "e5")
KTTC_EMBED_WORKER = os.environ.get(
    "KTTC_EMBED_WORKER",
    "inline"
    if KTTC_ENV == "test"
    else ("queue" if os.environ.get("KTTC_BROKER_URL", "").strip() else "thread"),
)
if KTTC_EMBED_WORKER not in ("thread", "inline", "external", "queue"):
    raise ImproperlyConfigured("KTTC_EMBED_WORKER must be thread, inline, external or queue.")
#: Each node's index follows the outbox of changes (README "Search on every node"): every so
#: many seconds in a web process (0: not at all; tests call ``follow.catch_up`` themselves);
#: /health/ready fails past KTTC_SEARCH_LAG_LIMIT rows behind; the sweep keeps rows for
#: KTTC_INDEX_OUTBOX_DAYS.
KTTC_SEARCH_FOLLOW_SECONDS = float(
    os.environ.get("KTTC_SEARCH_FOLLOW_SECONDS", "0" if KTTC_ENV == "test" else "0.5")
)
KTTC_SEARCH_LAG_LIMIT = int(os.environ.get("KTTC_SEARCH_LAG_LIMIT", "1000"))
KTTC_INDEX_OUTBOX_DAYS = int(os.environ.get("KTTC_INDEX_OUTBOX_DAYS", "7"))
NINJA_PAGINATION_PER_PAGE = 20
KTTC_PAGE_SIZE = 20

# Logs on stderr: KTTC_LOG_FORMAT "json" (the production default: one object per line with the
# time, level, logger, message, request id and, per request, view, status, duration and user id)
# or "text" (development). Metrics: /metrics only with KTTC_METRICS_TOKEN set and given as a
# Bearer token; PROMETHEUS_MULTIPROC_DIR for several workers. KTTC_BROKER_URL (redis://...):
# checked by /health/ready when set (README "Health, metrics and logs").
KTTC_LOG_FORMAT = os.environ.get("KTTC_LOG_FORMAT", "json" if PRODUCTION else "text")
try:
    LOGGING = logging_config(KTTC_LOG_FORMAT, os.environ.get("LOG_LEVEL", "WARNING"))
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
KTTC_METRICS_TOKEN = os.environ.get("KTTC_METRICS_TOKEN", "").strip()
if KTTC_METRICS_TOKEN and len(KTTC_METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("KTTC_METRICS_TOKEN must have at least 32 characters.")
KTTC_BROKER_URL = os.environ.get("KTTC_BROKER_URL", "").strip()

# The cache (README "Production shape"): Redis at KTTC_CACHE_URL (redis://...), shared by every
# web node, or each process's memory. Public pages that may lag are kept for anonymous visitors
# KTTC_PAGE_CACHE_SECONDS (5 in production, 0 = off elsewhere: kttc.core.pagecache).
KTTC_CACHE_URL = os.environ.get("KTTC_CACHE_URL", "").strip()
if KTTC_CACHE_URL and not KTTC_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("KTTC_CACHE_URL must start with redis://, rediss:// or unix://.")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": KTTC_CACHE_URL}
        if KTTC_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
KTTC_PAGE_CACHE_SECONDS = _count_up_to("KTTC_PAGE_CACHE_SECONDS", 5 if PRODUCTION else 0, 300)

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]
    X_FRAME_OPTIONS = "DENY"

if KTTC_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only in tests
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

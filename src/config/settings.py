"""Django settings for Oversight, read from the environment.

Every value an operator may change comes from an ``OVERSIGHT_*`` variable or ``DATABASE_URL``;
secrets come from the environment or from files in the data directory, never from the code.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parents[2]
SRC_DIR = Path(__file__).resolve().parents[1]


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


DATA_DIR = Path(os.environ.get("OVERSIGHT_DATA_DIR") or BASE_DIR / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Return the secret key from the environment, or from (created on first start) the data dir."""
    from_env = os.environ.get("OVERSIGHT_SECRET_KEY")
    if from_env:
        return from_env
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("OVERSIGHT_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("OVERSIGHT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("OVERSIGHT_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "ninja",  # serves the API docs' Swagger UI from static files, never from a CDN
    "django_tasks",
    "django_tasks_db",
    "oversight.core",
    "oversight.audit",
    "oversight.catalog",
    "oversight.org",
    "oversight.subjects",
    "oversight.pool",
    "oversight.planning",
    "oversight.inspections",
    "oversight.api",
    "oversight.web",
    "oversight.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "oversight.core.middleware.NoStoreMiddleware",
    "oversight.core.middleware.RequestContextMiddleware",
    "oversight.core.middleware.RequestBoundaryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "oversight.web.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "oversight.web.middleware.IdleTimeoutMiddleware",
    "oversight.web.middleware.AccountGateMiddleware",
    "oversight.web.errors.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Largest request body read (413 above it); uploads of evidence will get their own limit.
OVERSIGHT_MAX_BODY_BYTES = env_int("OVERSIGHT_MAX_BODY_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = OVERSIGHT_MAX_BODY_BYTES

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "oversight.web.context.navigation",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'oversight.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction starts, so two writers never read the
        # same audit-chain head; WAL lets readers go on while one writes.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000;"
        ),
    }
    # A file (not memory) so that threads in tests share it; one per process so runs can overlap.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

# --- authentication (等保 2.0 level 3 / OWASP ASVS level 2) ------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# "dengbao": length >= 8, three character classes, change every 90 days.
# "asvs": length >= 12, no composition rule, no rotation.
OVERSIGHT_PASSWORD_POLICY = os.environ.get("OVERSIGHT_PASSWORD_POLICY", "dengbao")
OVERSIGHT_PASSWORD_MAX_AGE_DAYS = env_int("OVERSIGHT_PASSWORD_MAX_AGE_DAYS", 90)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "oversight.org.passwords.PolicyValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"

# all | admins | off
OVERSIGHT_MFA = os.environ.get("OVERSIGHT_MFA", "all")
OTP_TOTP_ISSUER = "Oversight"
# How long an activation code (first activation or credential reset, docs/accounts.md) stays valid.
OVERSIGHT_ACTIVATION_HOURS = env_int("OVERSIGHT_ACTIVATION_HOURS", 72)

AXES_FAILURE_LIMIT = env_int("OVERSIGHT_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("OVERSIGHT_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# The lockout is per account, as 等保 asks; throttling by address belongs to the reverse proxy
# (several officers share one NAT address on police networks, so an address lock would lock all).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "oversight.web.views.auth.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True

SESSION_IDLE_SECONDS = env_int("OVERSIGHT_SESSION_IDLE_MINUTES", 30) * 60
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("OVERSIGHT_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("OVERSIGHT_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("OVERSIGHT_SSL_REDIRECT", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- i18n -------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]  # as oversight.org.models.Language
LOCALE_PATHS = [SRC_DIR / "oversight" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- static files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at start-up when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
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
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

OVERSIGHT_CATALOG_DIR = Path(os.environ.get("OVERSIGHT_CATALOG_DIR") or BASE_DIR / "catalog")

# --- background work ---------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

# The worker writes the audit chain's head here once a day (anchor-YYYY-MM-DD.json) and
# `oversight audit verify` checks every anchor found here. Point it at another disk than the
# database's (a separate volume, a write-once or remote share): whoever can rewrite the database
# must not be able to rewrite the anchors too. `oversight doctor` warns while it shares the disk.
OVERSIGHT_AUDIT_ANCHOR_DIR = Path(
    os.environ.get("OVERSIGHT_AUDIT_ANCHOR_DIR") or DATA_DIR / "audit-anchors"
)

# --- spreadsheet imports of the subject registry (docs/import.md) ---------------------------
# Uploaded files, error reports and error workbooks, named by the import's id; never the database.
OVERSIGHT_IMPORT_DIR = Path(os.environ.get("OVERSIGHT_IMPORT_DIR") or DATA_DIR / "imports")
# Largest file an import reads (a larger upload is refused before it is read), and the largest
# the page export writes (the console's export has no limit).
OVERSIGHT_IMPORT_MAX_BYTES = env_int("OVERSIGHT_IMPORT_MAX_MB", 50) * 1024 * 1024
OVERSIGHT_EXPORT_MAX_ROWS = env_int("OVERSIGHT_EXPORT_MAX_ROWS", 100_000)
# Requests per minute one address may make to the public pages (/public/, no login).
OVERSIGHT_PUBLIC_REQUESTS_PER_MINUTE = env_int("OVERSIGHT_PUBLIC_REQUESTS_PER_MINUTE", 120)
# A running import whose heartbeat is older than this was interrupted (it wrote nothing).
OVERSIGHT_IMPORT_STALE_MINUTES = env_int("OVERSIGHT_IMPORT_STALE_MINUTES", 15)
# A draw over more members than this is made by the worker, its progress shown; a running one
# silent for OVERSIGHT_DRAW_STALE_MINUTES was interrupted.
OVERSIGHT_DRAW_INLINE_MAX = env_int("OVERSIGHT_DRAW_INLINE_MAX", 50_000)
OVERSIGHT_DRAW_STALE_MINUTES = env_int("OVERSIGHT_DRAW_STALE_MINUTES", 15)

# --- logging: one line per event to stderr; never a stack trace to a user ------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("OVERSIGHT_LOG_LEVEL", "WARNING")},
}

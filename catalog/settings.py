"""Settings for the curriculum catalog, read from the environment (twelve-factor).

Every value that differs between a laptop and production comes from an environment variable;
the README lists them. With nothing set you get a development site on SQLite.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable into a list, dropping blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DEBUG")

# A development key is only acceptable while DEBUG is on; production must bring its own.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (or set DEBUG=1 for a local development site)."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin with our site class: two-factor sign-in for staff (programs.staff.sign_in).
    "programs.apps.CatalogAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "django_htmx",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "programs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses the pages (whitenoise serves static files precompressed, before this). Django's
    # GZipMiddleware pads each gzip header with 0-99 random bytes ("Heal The Breach"), and the
    # CSRF token is masked anew per response, so a page's compressed size can't reveal a secret.
    "django.middleware.gzip.GZipMiddleware",
    # Serves the programme list and pages kept for visitors without a session, skipping the rest.
    "programs.web.page_cache.KeptPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session (Django's rule), before CommonMiddleware: the language comes from the
    # address's prefix (/de/, /it/, /sv/; none is English). Then `/` alone follows the visitor's
    # remembered or browser language (programs.web.languages).
    "django.middleware.locale.LocaleMiddleware",
    "programs.web.languages.HomeLanguageMiddleware",
    "programs.web.middleware.ShortlistSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "programs.web.middleware.StaffSessionLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "catalog.urls"
WSGI_APPLICATION = "catalog.wsgi.application"
ASGI_APPLICATION = "catalog.asgi.application"

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
                "programs.web.context_processors.shortlist",
            ],
        },
    },
]

# SQLite in the project directory unless DATABASE_URL names another database
# (postgres://user:password@host:5432/name in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# Results and facet counts are cached under the catalog's revision (programs/finder/cache.py),
# so any cache is never stale. CACHE_URL picks it: each process's memory by default;
# redis://host:6379/0 (Django's RedisCache) to share one cache between app processes; db://table
# for a table in the database (create it with `manage.py createcachetable`).
CACHE_URL = os.environ.get("CACHE_URL", "locmem://")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL.startswith("db://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_URL.removeprefix("db://") or "catalog_cache",
        }
    }
elif CACHE_URL.startswith("dummy://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# The sitemap's pages and the CSV exports, kept per catalog revision gzip-compressed
# (programs/web/downloads.py), have a cache of their own: up to a quarter of a megabyte each, so
# in a process's memory at most DOWNLOADS_KEPT of them (the least recently used go first), and
# beside the default entries in a shared cache, under their own prefix.
DOWNLOADS_KEPT = 100
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES["downloads"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "downloads",
        "OPTIONS": {"MAX_ENTRIES": DOWNLOADS_KEPT},
    }
else:
    CACHES["downloads"] = {**CACHES["default"], "KEY_PREFIX": "downloads"}

# SQLite, the default database, serialises writers: WAL lets readers carry on during a write,
# IMMEDIATE takes the write lock when a transaction starts (so two saves queue instead of one
# failing with "database is locked" when both try to upgrade a read lock), and the timeout is
# how long a save waits for the lock before giving up.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: a locked-out username and address pair is refused before any password check.
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

LANGUAGE_CODE = "en"
# The site's languages, each named in itself (the switcher shows them so). English is unprefixed.
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("sv", "Svenska"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our few departures from Django's date formats (catalog/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["catalog.formats"]
# A visitor's language, remembered for a year after `/` followed their browser or they switched.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Staff work in Central European time: "today" (a check, an export) is the day in Berlin.
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed file names in production so browsers can cache static files forever.
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# HTTPS=1 behind a TLS-terminating proxy turns on every transport-security setting at once.
HTTPS = env_flag("HTTPS")
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # The load balancer's health probe speaks plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Password guessing: after AXES_FAILURE_LIMIT wrong passwords for one username from one address,
# that pair is refused (429) for AXES_COOLOFF_MINUTES. `manage.py axes_reset` lifts every lockout.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "programs.staff.sign_in.locked_out_response"
AXES_RESET_ON_SUCCESS = True
# The client's address is the connection's own unless a proxy we run says otherwise: behind
# HTTPS=1 (a TLS-terminating proxy) the right-most X-Forwarded-For entry, which it appended.
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if HTTPS else ["REMOTE_ADDR"]
)
AXES_IPWARE_PROXY_ORDER = "right-most"

# Two-factor sign-in (TOTP) for everyone using the admin; on by default in production.
ADMIN_REQUIRE_2FA = env_flag("ADMIN_REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "Curriculum catalog"

# Staff sessions end when the browser closes, after STAFF_SESSION_IDLE_SECONDS without a request
# and STAFF_SESSION_MAX_SECONDS after signing in (programs.web.middleware). Visitors' sessions keep
# the default two weeks.
STAFF_SESSION_IDLE_SECONDS = int(os.environ.get("STAFF_SESSION_IDLE_SECONDS", "3600"))
STAFF_SESSION_MAX_SECONDS = int(os.environ.get("STAFF_SESSION_MAX_SECONDS", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# A strict Content-Security-Policy: our own files only, no inline scripts or styles. JSON-LD is
# data, not script, so it needs no exception; htmx's own indicator styles are switched off in
# base.html.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

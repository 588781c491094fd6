"""Settings for the curriculum catalog, read from the environment (twelve-factor).

Every value that differs between a laptop and production comes from an environment variable;
the README lists them. With nothing set you get a development site on SQLite.
"""

import ipaddress
import os
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url
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


def is_origin(url: str) -> bool:
    """Whether `url` is a scheme and a host with at most a port: no path, query or user."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError unless the port is a number)
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and not (parts.path or parts.query or parts.fragment or "@" in parts.netloc)
    )


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
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    # Django's deploy check asks as much (security.W009), but only when someone runs it: a short
    # or repetitive key signs sessions and shared links that can be forged by guessing it.
    raise ImproperlyConfigured(
        "SECRET_KEY is too short or too simple: use at least 50 random characters, e.g. the "
        'output of `python -c "import secrets; print(secrets.token_urlsafe(50))"`.'
    )

# The site's public origin, e.g. https://catalog.example.org: every absolute link the site
# writes (canonical, og:url, hreflang, JSON-LD, sitemaps, feeds, CSV, shared links) starts with
# it, never with a request's Host header, which kept pages would pass on to every visitor
# (programs/core/site_address.py).
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SITE_URL is not set. Set the SITE_URL environment variable to the address visitors "
            "use, e.g. https://catalog.example.org (or set DEBUG=1 for a local development site)."
        )
    SITE_URL = "http://127.0.0.1:8000"  # where `make run` serves
if not is_origin(SITE_URL):
    raise ImproperlyConfigured(
        f"SITE_URL must be a scheme and a host (and a port, if not the usual one), such as "
        f"https://catalog.example.org, with no path: {SITE_URL!r} is not."
    )

# Whom harvesters of the open-data API write to: the Open Education API's service root must name
# an address (its `contactEmail`), and only the site's operator can say which one; unset, the
# root leaves it out rather than invent one (README, "Open data API").
OEAPI_CONTACT_EMAIL = os.environ.get("OEAPI_CONTACT_EMAIL", "").strip()

# How the catalog sends e-mail (the proposals' messages, programs/actions/proposal_messages.py):
# EMAIL_URL names the server (dj-email-url reads it), e.g.
# submission://user:password@mail.example.org:587 (STARTTLS), smtp://…:465?ssl=1 (TLS) or
# smtp://localhost:25; `?timeout=20` sets the seconds a send may take. Unset,
# a development site (DEBUG) prints each e-mail to its console, and production hands them to the
# machine's own mail server on localhost:25. A send that fails is kept and sent again by
# `manage.py send_proposal_digests`.
EMAIL_URL = os.environ.get("EMAIL_URL", "").strip()
if EMAIL_URL:
    globals().update(dj_email_url.parse(EMAIL_URL))
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# A mail server that doesn't answer must not hold a step (and the database lock its message
# holds while it is sent) for long: give up after this many seconds and try again later.
EMAIL_TIMEOUT = globals().get("EMAIL_TIMEOUT") or int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "").strip() or globals().get(
    "DEFAULT_FROM_EMAIL", f"Curriculum catalog <noreply@{urlsplit(SITE_URL).hostname}>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "").strip() or globals().get(
    "SERVER_EMAIL", DEFAULT_FROM_EMAIL
)

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
    # First: a body larger than its address takes is refused (413) before anything reads it.
    "programs.web.request_bodies.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Above WhiteNoise and the kept pages, so every response carries it, static files included.
    "django_permissions_policy.PermissionsPolicyMiddleware",
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
    # Once the user is known (staff aren't counted), before the CSRF check reads the body.
    "programs.web.write_throttle.AnonymousWriteThrottleMiddleware",
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

# Whole pages kept for visitors without a session (programs/web/page_cache.py) have a cache of
# their own, bounded in bytes: anyone can make up addresses, and pages differ in size a
# hundredfold, so a bound in entries bounds nothing. In each process's memory, at most
# PAGE_CACHE_MAX_MB; with Redis, in Redis, whose own `maxmemory` (with an LRU eviction policy)
# bounds it.
PAGE_CACHE_MAX_MB = int(os.environ.get("PAGE_CACHE_MAX_MB", "64"))
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "pages"}
elif CACHE_URL.startswith("dummy://"):
    CACHES["pages"] = CACHES["default"]
else:
    CACHES["pages"] = {
        "BACKEND": "catalog.memory_cache.BytesBoundedMemoryCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_BYTES": PAGE_CACHE_MAX_MB * 1024 * 1024},
    }

# Anonymous writes are counted per client (programs/web/write_throttle.py), and every app process
# must see the same counts, or each of gunicorn's workers would allow the limit again. Redis or
# the database cache are shared already; each process's memory (locmem://, the default) is not, so
# the counts then go to files in THROTTLE_DIR, which every process on the machine shares.
if CACHE_URL.startswith(("locmem://",)) or "://" not in CACHE_URL:
    THROTTLE_DIR = Path(
        os.environ.get("THROTTLE_DIR")
        or Path(tempfile.gettempdir()) / f"catalog-throttle-{os.getuid()}-{BASE_DIR.name}"
    )
    CACHES["throttle"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(THROTTLE_DIR),
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
else:
    CACHES["throttle"] = {**CACHES["default"], "KEY_PREFIX": "throttle"}

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

# The reverse proxies in front of the app (addresses or networks, comma-separated), whose
# X-Forwarded-For entries name the client (programs/web/clients.py). Behind HTTPS=1 that is a
# proxy on this machine (deploy/nginx/catalog.conf); name yours if it runs elsewhere. Requests
# from any other address are counted by their own address, whatever X-Forwarded-For they carry.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1" if HTTPS else "")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network (such as 10.0.0.5 or "
            "10.0.0.0/24)."
        ) from None

# Password guessing: after AXES_FAILURE_LIMIT wrong passwords for one username from one address,
# that pair is refused (429) for AXES_COOLOFF_MINUTES. `manage.py axes_reset` lifts every lockout.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "programs.staff.sign_in.locked_out_response"
AXES_RESET_ON_SUCCESS = True
# Counted per client as programs.web.clients names them (behind our proxy, the address it
# forwarded), like the write throttle and the logs.
AXES_CLIENT_IP_CALLABLE = "programs.web.clients.client_address"
# Its log lines name the client's address, so a lockout can be traced and lifted
# (`axes_reset_ip`); the username stays masked, since people type passwords into it by mistake.
AXES_SENSITIVE_PARAMETERS = ["username"]

# Changes by visitors who are not signed in (shortlists, the compare choice, sign-in tries): at
# most this many a minute from one client (programs/web/write_throttle.py), then 429; 0 for none.
VISITOR_WRITES_PER_MINUTE = int(os.environ.get("VISITOR_WRITES_PER_MINUTE", "60"))

# Where a sign-in goes when its `next` is missing or refused (another site): the admin, the
# only thing staff sign in for (Django's default, /accounts/profile/, is no page here).
LOGIN_REDIRECT_URL = "admin:index"

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

# The browser features the site never uses, refused to it and to anything it might be made to
# load (django-permissions-policy): an injected script or frame gets no camera, microphone,
# position, payment or device access, and no interest-based advertising cohort. Copying a link
# (static/js/copy-link.js) needs only clipboard-write, which stays at the browser's default.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A line about a request (Django's "Not Found", "Forbidden (CSRF …)") ends with its client's
    # address, named as the lockout and the throttle name it (programs/web/clients.py).
    "filters": {"client": {"()": "programs.web.clients.ClientAddressFilter"}},
    "formatters": {"with_client": {"format": "%(message)s%(client_note)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["client"],
            "formatter": "with_client",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

"""Test settings: the real settings with the few differences a test run needs."""

import os

# The suite runs with DEBUG off, like production, so it needs a key (of production's length)
# and the site's address (the test client's own host); never used outside tests.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployed-site-" + "t" * 20)
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("OEAPI_CONTACT_EMAIL", "open-data@testserver.example")

from catalog.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests render templates without running collectstatic first, so no manifest of hashed names.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Live-server threads must not keep connections open, or the test database can't be dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Most admin tests sign in with force_login, which has no second factor; the tests of two-factor
# sign-in turn the requirement on (tests/staff/test_staff_sign_in.py).
ADMIN_REQUIRE_2FA = False

# Anonymous write counts: each test process its own, in memory (the files every app process of a
# deploy shares would be shared by the parallel test processes too). The shared files are tested
# through a real gunicorn (tests/project/test_production_server.py).
CACHES = {
    **CACHES,  # noqa: F405
    "throttle": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "throttle",
    },
}

# E-mails stay in django.core.mail.outbox (pytest-django sets this too; said here so no test
# run can reach a mail server whatever EMAIL_URL the environment holds).
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

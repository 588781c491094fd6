"""Settings come from the environment, and production refuses to start half-configured."""

import os
import subprocess
import sys

import pytest

from tests.support.local_servers import PROJECT_ROOT

# A key as production should have: long and random.
PRODUCTION_KEY = "k7#vQ2!zP9@mL4$wR8^tY1&uE6*oI3(pA5)sD0-fG2_hJ7+kL9=xC4"


def manage(*args, **env):
    """Run manage.py in a fresh process with exactly the given environment variables."""
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "catalog.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_a_secret_key_refuses_to_start_with_a_clear_message():
    result = manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_development_runs_without_a_secret_key():
    result = manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=PRODUCTION_KEY,
        SITE_URL="https://catalog.example.org",
        ALLOWED_HOSTS="catalog.example.org",
        CSRF_TRUSTED_ORIGINS="https://catalog.example.org",
        HTTPS="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_warns_when_https_settings_are_off():
    """The check above can fail: without HTTPS=1 the same command reports the missing settings."""
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=PRODUCTION_KEY,
        SITE_URL="https://catalog.example.org",
        ALLOWED_HOSTS="catalog.example.org",
    )
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stdout + result.stderr


def test_database_url_selects_postgresql():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['ENGINE'])",
        ],
        cwd=PROJECT_ROOT,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "catalog.settings",
            "DEBUG": "1",
            "DATABASE_URL": "postgres://catalog@db.internal:5432/catalog",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "django.db.backends.postgresql", result.stderr


def shell_print(expression, **env):
    """Print a value computed in a fresh process with these settings (DEBUG off unless given)."""
    return manage(
        "shell",
        "--no-imports",
        "-c",
        f"from django.conf import settings; print({expression})",
        **{"SECRET_KEY": PRODUCTION_KEY, "SITE_URL": "https://catalog.example.org", **env},
    )


def test_behind_https_the_session_and_csrf_cookies_are_secure_only():
    result = shell_print("settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE", HTTPS="1")
    assert result.stdout.strip() == "True True", result.stderr


def test_two_factor_sign_in_is_required_by_default_in_production_and_can_be_turned_off():
    production = shell_print("settings.ADMIN_REQUIRE_2FA")
    development = shell_print("settings.ADMIN_REQUIRE_2FA", DEBUG="1")
    turned_off = shell_print("settings.ADMIN_REQUIRE_2FA", ADMIN_REQUIRE_2FA="0")
    assert (production.stdout, development.stdout, turned_off.stdout) == (
        "True\n",
        "False\n",
        "False\n",
    ), production.stderr


def test_sqlite_waits_for_the_write_lock_instead_of_failing():
    result = shell_print("settings.DATABASES['default']['OPTIONS']")
    options = result.stdout
    assert "'transaction_mode': 'IMMEDIATE'" in options, result.stderr
    assert "journal_mode=WAL" in options
    assert "'timeout': 20" in options


def test_production_refuses_a_short_or_repetitive_secret_key_with_a_clear_message():
    """A key that can be guessed lets anyone forge sessions and signed links."""
    for weak_key in ("settings-test-key", "a" * 80, "abab" * 20):
        result = manage("check", SECRET_KEY=weak_key, SITE_URL="https://catalog.example.org")
        assert result.returncode != 0, weak_key
        assert "SECRET_KEY is too short or too simple" in result.stderr, weak_key


def test_production_without_site_url_refuses_to_start_with_a_clear_message():
    result = manage("check", SECRET_KEY=PRODUCTION_KEY)
    assert result.returncode != 0
    assert "SITE_URL is not set" in result.stderr


@pytest.mark.parametrize(
    "site_url",
    [
        "catalog.example.org",
        "ftp://catalog.example.org",
        "https://catalog.example.org/catalog",
        "https://catalog.example.org?x=1",
        "https://user@catalog.example.org",
        "https://catalog.example.org:port",
    ],
)
def test_a_site_url_that_is_not_an_origin_is_refused_with_a_clear_message(site_url):
    result = manage("check", SECRET_KEY=PRODUCTION_KEY, SITE_URL=site_url)
    assert result.returncode != 0, site_url
    assert "SITE_URL must be a scheme and a host" in result.stderr, site_url


def test_site_url_is_where_make_run_serves_in_development_and_loses_a_trailing_slash():
    development = manage(
        "shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SITE_URL)",
        DEBUG="1",
    )  # fmt: skip
    production = shell_print("settings.SITE_URL", SITE_URL="https://catalog.example.org:8443/")
    assert development.stdout == "http://127.0.0.1:8000\n", development.stderr
    assert production.stdout == "https://catalog.example.org:8443\n", production.stderr


def test_a_trusted_proxy_that_is_no_address_stops_start_up_with_a_clear_message():
    result = manage("check", DEBUG="1", TRUSTED_PROXIES="127.0.0.1,nginx.internal")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: 'nginx.internal' is not an IP address or network" in result.stderr


def test_behind_https_the_proxy_on_this_machine_is_trusted_and_otherwise_none():
    def trusted(**env):
        return shell_print("settings.TRUSTED_PROXIES", DEBUG="1", **env).stdout.strip()

    assert trusted() == "[]"
    assert trusted(HTTPS="1") == "['127.0.0.1', '::1']"
    assert trusted(TRUSTED_PROXIES="10.0.0.0/24, 127.0.0.1") == "['10.0.0.0/24', '127.0.0.1']"

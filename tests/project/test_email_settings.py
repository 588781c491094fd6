"""E-mail settings come from the environment: EMAIL_URL names the mail server."""

from tests.project.test_settings import manage, shell_print


def test_email_url_names_the_mail_server_its_encryption_and_timeout():
    result = shell_print(
        "settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS,"
        " settings.EMAIL_HOST_USER, settings.EMAIL_TIMEOUT",
        EMAIL_URL="submission://catalog:secret@mail.example.org?timeout=20",
    )
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.org",
        "587",
        "True",
        "catalog",
        "20",
    ], result.stderr


def test_the_sender_is_the_sites_own_address_unless_default_from_email_says_otherwise():
    default = shell_print("settings.DEFAULT_FROM_EMAIL")
    chosen = shell_print("settings.DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL="admissions@example.org")
    assert default.stdout == "Curriculum catalog <noreply@catalog.example.org>\n", default.stderr
    assert chosen.stdout == "admissions@example.org\n", chosen.stderr


def test_development_prints_emails_to_the_console_and_production_uses_the_local_server():
    development = manage(
        "shell", "--no-imports", "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND)",
        DEBUG="1",
    )  # fmt: skip
    production = shell_print("settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT")
    assert development.stdout == "django.core.mail.backends.console.EmailBackend\n"
    assert production.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "localhost",
        "25",
    ], production.stderr

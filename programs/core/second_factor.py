"""Whether a signed-in person passed the second factor (a code from their authenticator app)
wherever the site asks for one: the admin, and the draft previews on public pages, which show
what the admin would."""

from django.conf import settings


def two_factor_required():
    """Whether staff sign in with a code as well as a password (the ADMIN_REQUIRE_2FA setting)."""
    return getattr(settings, "ADMIN_REQUIRE_2FA", False)


def passed_second_factor(user):
    """Whether `user`, a request's, gave a code this session, or needs none. django-otp's
    middleware gives a request's user is_verified(); a user read any other way has given none."""
    if not two_factor_required():
        return True
    is_verified = getattr(user, "is_verified", None)
    return is_verified is not None and is_verified()

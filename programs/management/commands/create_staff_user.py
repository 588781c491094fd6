"""Create an admissions staff account for one or more universities.

    python manage.py create_staff_user alice --university rwth-aachen [--university kth]
        [--email alice@example.org] [--password-stdin | --no-input]

The account is a staff user (it can log in at /admin/) in the "Admissions staff" group, linked to
the given universities: it may edit only the programmes they offer. The password is read from
standard input with --password-stdin (e.g. `printf '%s' "$PW" | manage.py create_staff_user
...`), else asked for twice at an interactive terminal. With --no-input, or when there is no
terminal, the account gets no usable password: set one with `python manage.py changepassword
<username>`. There is no default password. Running it for an existing user adds the universities
and group membership and leaves the password alone unless one is given.
"""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from programs.models import University
from programs.staff.group import admissions_staff_group


class Command(BaseCommand):
    help = (
        "Create an admissions staff user linked to universities: "
        "create_staff_user <username> --university <slug> [--university <slug> ...] "
        "[--email <address>] [--password-stdin | --no-input]. Without a password the account "
        "can't log in until `manage.py changepassword <username>` sets one."
    )

    # Tests (and scripts) may hand over their own standard input, as with createsuperuser.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--university",
            action="append",
            required=True,
            metavar="SLUG",
            help="Slug of a university whose programmes the user may edit (repeatable).",
        )
        parser.add_argument("--email", default="", help="The user's e-mail address.")
        password = parser.add_mutually_exclusive_group()
        password.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from standard input (first line).",
        )
        password.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Don't prompt: without --password-stdin the user gets no usable password.",
        )

    def handle(self, *args, username, university, email, password_stdin, interactive, **options):
        slugs = list(dict.fromkeys(university))
        universities = list(University.objects.filter(slug__in=slugs))
        unknown = sorted(set(slugs) - {u.slug for u in universities})
        if unknown:
            raise CommandError(
                f"Unknown university slug(s): {', '.join(unknown)}. Known: "
                + ", ".join(University.objects.order_by("slug").values_list("slug", flat=True))
            )

        User = get_user_model()
        user = User.objects.filter(username=username).first()
        candidate = user or User(username=username, email=email)
        stdin = options.get("stdin") or sys.stdin
        password = self.read_password(candidate, stdin, password_stdin, interactive)

        with transaction.atomic():
            created = user is None
            if created:
                user = candidate
            if email:
                user.email = email
            user.is_staff = True
            if password is not None:
                user.set_password(password)
            elif created:
                user.set_unusable_password()
            user.save()
            user.groups.add(admissions_staff_group())
            user.universities.add(*universities)

        names = ", ".join(str(u) for u in universities)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} staff user {username!r} for {names}."))
        if not user.has_usable_password():
            self.stdout.write(
                f"It has no password yet: run `python manage.py changepassword {username}`, "
                "then log in at /admin/."
            )

    def read_password(self, user, stdin, from_stdin, interactive):
        """The new password, validated; None when none is given (or to keep the current one)."""
        if from_stdin:
            password = stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("--password-stdin was given but standard input was empty.")
        elif interactive and stdin.isatty():
            password = getpass.getpass("Password (empty for none): ")
            if not password:
                return None
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ; nothing was changed.")
        else:
            return None
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("Password rejected: " + " ".join(error.messages)) from None
        return password

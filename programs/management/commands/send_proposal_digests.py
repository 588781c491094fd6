"""Send the proposal e-mails still owed: each person's daily digest, and any e-mail that failed.

    python manage.py send_proposal_digests                # digests, and failed e-mails again
    python manage.py send_proposal_digests --retry-only   # only the e-mails that failed

Run it once a day for the digests (cron: `0 7 * * * … send_proposal_digests`), and, if you like,
`--retry-only` every few minutes so that an e-mail the mail server refused arrives soon after it
is back. Safe to run twice and from two places at once: each message is sent once, and a second
run finds nothing owed. An e-mail that can't be sent now is kept for the next run; the command
then ends with an error, so cron tells the operator.
"""

from django.core.management.base import BaseCommand, CommandError

from programs.actions import proposal_messages


class Command(BaseCommand):
    help = (
        "Send each person their digest of proposal messages (one e-mail each), and every "
        "proposal e-mail whose sending failed before."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-only",
            action="store_true",
            help="Only send again the e-mails that failed; leave the digests for the daily run.",
        )

    def handle(self, *args, retry_only=False, **options):
        sent = proposal_messages.send_owed(digests=not retry_only)
        self.stdout.write(
            f"Sent {sent.digests} digest(s) and {sent.retried} e-mail(s) that had failed before."
        )
        if sent.failed:
            raise CommandError(
                f"{len(sent.failed)} e-mail(s) could not be sent (to {', '.join(sent.failed)}); "
                "they are kept and the next run tries again. The log says why."
            )

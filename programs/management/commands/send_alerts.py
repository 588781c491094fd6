"""Send the e-mail alerts' daily digests, and forget the addresses that never confirmed.

    python manage.py send_alerts

Run it once a day (cron: `0 7 * * * … send_alerts`, or deploy/systemd/catalog-alerts.timer).
Each confirmed alert with public changes since its last digest gets one e-mail with all of
them; none gets two on the same day, so running it again (or from two places at once) sends
nothing more. Alerts not confirmed within a week are deleted, address and all. A digest the mail
server refuses is tried again at the next run; the command then ends with an error, so cron
tells the operator.
"""

from django.core.management.base import BaseCommand, CommandError

from programs.web import alert_mails


class Command(BaseCommand):
    help = (
        "Send each confirmed e-mail alert its digest of the changes since the last one (at most "
        "one a day), and delete alerts not confirmed within a week."
    )

    def handle(self, *args, **options):
        outcome = alert_mails.send_digests()
        self.stdout.write(
            f"Sent {outcome.sent} digest(s); deleted {outcome.forgotten} unconfirmed alert(s)."
        )
        if outcome.failed:
            raise CommandError(
                f"{outcome.failed} digest(s) could not be sent ({'; '.join(outcome.errors)}); "
                "the next run tries again. The log says why."
            )

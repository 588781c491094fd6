"""What every sourced row shares: the source's own words (a quote), or the reason a value is
inferred."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.core.choices import (
    Provenance,
)
from programs.core.quotes import split_quote

QUOTE_HELP = _(
    "The source's own words that state this, copied exactly (only spacing may differ). "
    "Separate passages from different places with a line holding only …"
)


INFERRED_HELP = _(
    "Only if something here is inferred rather than stated: why, in one sentence a student "
    "can follow."
)


class Sourced(models.Model):
    """How a row's facts are known: the source's words, the reason for an inference, or both.

    A row with a quote and no reason is stated; with a reason it is (at least partly) inferred;
    with neither its provenance is not recorded.
    """

    source_quote = models.TextField(_("source quote"), null=True, blank=True, help_text=QUOTE_HELP)
    inferred_because = models.TextField(
        _("inferred because"), null=True, blank=True, help_text=INFERRED_HELP
    )

    class Meta:
        abstract = True

    @property
    def provenance(self):
        """stated, inferred, or not stated (no provenance recorded)."""
        if self.inferred_because:
            return Provenance.INFERRED
        if self.source_quote:
            return Provenance.STATED
        return Provenance.NOT_STATED

    @property
    def is_stated(self):
        """Whether the source states all of this row (quoted, nothing inferred)."""
        return self.provenance == Provenance.STATED

    def quote_passages(self):
        """The quote's passages (a quote may join several places of the source with …)."""
        return split_quote(self.source_quote)

"""What the searches read: a search document per programme and per module (programs/search/
keeps them current)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programs.models.curriculum import Module
from programs.models.programmes import Programme


class ProgrammeSearchDocument(models.Model):
    """What the list's search matches a programme by: its words and its related rows' words,
    lower case and without accents, in three parts by weight
    (programs/search/programme_documents.py keeps them current on every write and reads them; the
    database's text index is built over them)."""

    programme = models.OneToOneField(
        Programme,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
        verbose_name=pgettext_lazy("a study programme", "programme"),
    )
    # Each part is " word word … ", spaces at both ends, so "% word" finds a word's start.
    title_text = models.TextField(_("title text"), default="")
    main_text = models.TextField(_("main text"), default="")
    more_text = models.TextField(_("more text"), default="")
    # What the list's facets count the programme under (programs/search/facet_index.py), a line
    # each: "language\ten", "country\tDE", "university\t<slug>\t<name>", "background\t<value>";
    # ":inferred" after the facet when the programme holds the value only as an inference
    # ("country:inferred\tDE"), and a column facet ("level:inferred\tmaster") only then.
    # Nullable only so that SQLite adds the column in place: rebuilding the table, as it does
    # for a column with a default, would drop the triggers that feed the search's FTS5 index.
    facet_keys = models.TextField(_("facet keys"), null=True, blank=True)

    class Meta:
        verbose_name = _("programme search document")
        verbose_name_plural = _("programme search documents")
        ordering = ["programme"]

    def __str__(self):
        return f"search words of programme {self.programme_id}"


class ModuleSearchDocument(models.Model):
    """What /modules/ finds a module by: the words of its title, description and track name,
    lower case and without accents (programs/search/module_documents.py keeps them current and
    reads them; the database's text index is built over them)."""

    # The programme's id * 2**32 + the module's id: the index order keeps a programme's modules
    # together, so a page of matches is read in order without sorting them all.
    key = models.BigIntegerField(_("key"), primary_key=True)
    module = models.OneToOneField(
        Module, on_delete=models.CASCADE, related_name="search_document", verbose_name=_("module")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("a study programme", "programme"),
    )
    # " word word … ", spaces at both ends, as in ProgrammeSearchDocument.
    words = models.TextField(_("words"), default="")

    class Meta:
        verbose_name = _("module search document")
        verbose_name_plural = _("module search documents")
        ordering = ["key"]

    def __str__(self):
        return f"search words of module {self.module_id}"

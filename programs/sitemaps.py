"""The sitemap: every published programme and every university offering one, in every language,
with `lastmod` from the last public change (see programs.changes)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from programs.models import Programme, PublicChange, University


class InEveryLanguage(Sitemap):
    """Each page once per language (settings.LANGUAGES), each naming the others and English as
    the x-default with `<xhtml:link rel="alternate" hreflang>`."""

    i18n = True
    alternates = True
    x_default = True


class ProgrammeSitemap(InEveryLanguage):
    """Published programmes; a programme changes when its public change log says so."""

    changefreq = "weekly"

    def items(self):
        return (
            Programme.objects.published()
            .with_last_public_change()
            .only("slug")
            .order_by("slug", "pk")
        )

    def lastmod(self, programme):
        return programme.last_public_change

    def get_latest_lastmod(self):
        # Django's default would load every item to find the latest.
        return PublicChange.objects.public().aggregate(latest=Max("changed_at"))["latest"]


class UniversitySitemap(InEveryLanguage):
    """Universities offering a published programme; they change when one of those does."""

    changefreq = "weekly"

    def items(self):
        return University.objects.public().with_last_public_change().only("slug").order_by("slug")

    def lastmod(self, university):
        return university.last_public_change

    def get_latest_lastmod(self):
        return PublicChange.objects.public().aggregate(latest=Max("changed_at"))["latest"]


SITEMAPS = {"programmes": ProgrammeSitemap, "universities": UniversitySitemap}

"""The sitemap: every published programme and every university offering one, in every language,
with `lastmod` from the last public change (see programs.changelog.changes).

Every address in it is on the site's public origin (settings.SITE_URL): Django's sitemap views
would take the host and scheme of whichever request asked.
"""

from collections.abc import Sequence
from functools import cached_property, wraps
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as django_views
from django.db.models import Max

from programs.core import site_address
from programs.models import Programme, PublicChange, University


class InEveryLanguage(Sitemap):
    """Each page once per language (settings.LANGUAGES), each naming the others and English as
    the x-default with `<xhtml:link rel="alternate" hreflang>`."""

    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return site_address.scheme()

    def get_domain(self, site=None):
        return site_address.authority()

    def _items(self):
        # Django's own builds every (item, language) pair in memory to paginate them; this
        # pages through the queryset instead (a COUNT, then one slice a page), as without i18n.
        return ItemsInEveryLanguage(self.items(), self._languages())


class ItemsInEveryLanguage(Sequence):
    """The (item, language) pairs of a queryset, in order, loading only the slice asked for."""

    def __init__(self, queryset, languages):
        self.queryset = queryset
        self.languages = list(languages)

    @cached_property
    def _count(self):
        return self.queryset.count()

    def __len__(self):
        return self._count * len(self.languages)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(len(self))
        per_item = len(self.languages)
        first, last = start // per_item, -(-stop // per_item)
        pairs = [
            (item, language) for item in self.queryset[first:last] for language in self.languages
        ]
        offset = first * per_item
        return pairs[start - offset : stop - offset]


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


@wraps(django_views.index)
def index(request, **kwargs):
    """Django's sitemap index, naming each sitemap on the site's public origin (Django's own
    takes the requesting host, which this view has no way to be told otherwise)."""
    response = django_views.index(request, **kwargs)
    for entry in response.context_data["sitemaps"]:
        address = urlsplit(entry.location)
        entry.location = site_address.absolute_url(
            address.path + (f"?{address.query}" if address.query else "")
        )
    return response

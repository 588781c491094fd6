"""The sitemap: every published programme and every university offering one, in every language,
with `lastmod` from the last public change (see programs.changelog.changes).

Each address names its four language versions and English as the x-default, so 100,000
programmes make 400,000 addresses and two million links. Django's own sitemap view reverses
every link and renders every address through a template: 9 s and 33 MB for one page of 50,000
addresses at 20,000 programmes, on every request. Here a page is one query (slugs and last
changes, as values), each language's address is reversed once a page and completed with each
slug, the XML is written as text, 2,500 programmes (or 500 universities) a page, and the page
is kept per catalog revision (programs/web/downloads.py): later requests cost a cache read. The
index is Django's view, kept the same way.

Every address in it is on the site's public origin (settings.SITE_URL): Django's sitemap views
would take the host and scheme of whichever request asked.
"""

from collections.abc import Sequence
from functools import cached_property
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as django_views
from django.db.models import Count, Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from programs.core import site_address
from programs.models import Edition, EditionProgramme, Programme, PublicChange, University
from programs.web.downloads import KeptDownload
from programs.web.harvesting import conditional

# Page numbers as the index writes them: 1 to 999,999 (more pages than a catalog will ever have),
# so that no other spelling of a page makes a body of its own to keep.
PAGE_NUMBER_DIGITS = 6
# Stands for the slug in an address reversed once a page (slugs are letters, digits, - and _).
SLUG_MARK = "sitemap-slug-mark"
XML_CONTENT_TYPE = "application/xml"
# What Django's sitemap views send: an index of addresses is not a page to list in results.
ROBOTS = ("X-Robots-Tag", "noindex, noodp, noarchive")


class InEveryLanguage(Sitemap):
    """Each page once per language (settings.LANGUAGES), each naming the others and English as
    the x-default with `<xhtml:link rel="alternate" hreflang>`.

    Subclasses name the page's URL (`url_name`, reversed with a `slug`), the published items
    (`items()`, a queryset with `with_last_public_change()`) and how many of them a page holds
    (`items_per_page`)."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"
    url_name = None
    items_per_page = None

    @property
    def limit(self):
        # Django's paginator (the index's page count) counts addresses, one per item and language.
        return self.items_per_page * len(self._languages())

    def get_protocol(self, protocol=None):
        return site_address.scheme()

    def get_domain(self, site=None):
        return site_address.authority()

    def _items(self):
        # Django's own builds every (item, language) pair in memory to paginate them; the index
        # needs only their number (a COUNT).
        return ItemsInEveryLanguage(self.items(), self._languages())

    def get_latest_lastmod(self):
        # Django's default would load every item to find the latest.
        return PublicChange.objects.public().aggregate(latest=Max("changed_at"))["latest"]

    def page(self, number, origin):
        """Page `number` (from 1) as XML bytes. Raises Http404 for a page after the last; the
        first always exists, empty when nothing is published, as Django's view has it. (Its
        Last-Modified is the catalog's: programs/web/harvesting.py.)"""
        first = (number - 1) * self.items_per_page
        rows = self.rows(first, self.items_per_page)
        if not rows and number > 1:
            raise Http404(f"The sitemap has no page {number}.")
        addresses = self._addresses(origin)
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        ]
        changefreq = f"<changefreq>{self.changefreq}</changefreq>"
        for values, last_change in rows:
            locations = {
                language: _filled(address, values) for language, address in addresses.items()
            }
            links = "".join(
                f'<xhtml:link rel="alternate" hreflang="{_xml(language)}" href="{location}"/>'
                for language, location in [
                    *locations.items(),
                    ("x-default", locations[settings.LANGUAGE_CODE]),
                ]
            )
            # The day as Django's sitemap gives it: in the site's time zone.
            lastmod = (
                f"<lastmod>{timezone.localdate(last_change).isoformat()}</lastmod>"
                if last_change
                else ""
            )
            parts.extend(
                f"<url><loc>{location}</loc>{lastmod}{changefreq}{links}</url>\n"
                for location in locations.values()
            )
        parts.append("</urlset>\n")
        return "".join(parts).encode()

    def rows(self, first, count):
        """[({mark: value}, last change)] of `count` items from the `first`, in order."""
        rows = (
            self.items()
            .with_last_public_change()
            .values_list("slug", "last_public_change")
            .order_by("slug", "pk")[first : first + count]
        )
        return [({SLUG_MARK: slug}, last_change) for slug, last_change in rows]

    # The URL's parameters and the marks that stand for their values while it is reversed.
    marks = {"slug": SLUG_MARK}

    def _addresses(self, origin):
        """{language: the address with marks for its parameters}, XML-escaped: the page's URL
        reversed once in each language, not once per link, which is most of what Django's
        sitemap spends."""
        addresses = {}
        for language in self._languages():
            with translation.override(language):
                path = reverse(self.url_name, kwargs=self.marks)
            addresses[language] = _xml(origin + path)
        return addresses


def _filled(address, values):
    """An address with marks (InEveryLanguage._addresses) with each mark's value put in."""
    for mark, value in values.items():
        address = address.replace(mark, _xml(value), 1)
    return address


def _xml(text):
    """`text` escaped for XML, in an element or a double-quoted attribute."""
    return escape(text, {'"': "&quot;"})


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

    url_name = "programs:programme-detail"
    # 10,000 addresses in four languages: 6 MB of XML (0.1 MB compressed), well inside the
    # protocol's 50,000 addresses and 50 MB, made in about 0.1 s at 100,000 programmes.
    items_per_page = 2_500

    def items(self):
        return Programme.objects.published().order_by("slug", "pk")


class UniversitySitemap(InEveryLanguage):
    """Universities offering a published programme; they change when one of those does."""

    url_name = "programs:university-detail"
    # A university's last change is the latest of its published programmes' (about 37 each at
    # 100,000 programmes and 3,000 universities, each row read to see that it is published):
    # 1,000 a page took 281 ms to make in `make bench`, against 119 ms for 2,500 programmes.
    items_per_page = 500

    def items(self):
        return University.objects.public().order_by("slug", "pk")


# Stands for an edition's year while an edition's address is reversed (it must look like one).
EDITION_MARK = "9999-99"


class EditionSitemap(InEveryLanguage):
    """The list of each archived edition: it last changed when it was archived."""

    url_name = "programs:edition-programme-list"
    items_per_page = 2_500
    changefreq = "yearly"
    marks = {"edition": EDITION_MARK}

    def items(self):
        return Edition.objects.archived().order_by("starts_in")

    @cached_property
    def _archived(self):
        """(archived at, programmes frozen) of each archived edition: what the index asks of
        both edition sitemaps (how many addresses, the latest change), in one query each."""
        editions = Edition.objects.archived().annotate(frozen=Count("programmes"))
        return list(editions.values_list("archived_at", "frozen"))

    def _item_count(self):
        return len(self._archived)

    def _items(self):
        items = super()._items()
        items._count = self._item_count()  # a cached_property: set, it is not counted
        return items

    def get_latest_lastmod(self):
        return max((archived_at for archived_at, _ in self._archived), default=None)

    def rows(self, first, count):
        editions = self.items()[first : first + count]
        return [({EDITION_MARK: edition.slug}, edition.archived_at) for edition in editions]


class EditionProgrammeSitemap(EditionSitemap):
    """The programmes' pages of the archived editions, each last changed when its edition was
    archived (an addendum is shown on it, but the page it corrects stays as it was)."""

    url_name = "programs:edition-programme-detail"
    marks = {"edition": EDITION_MARK, "slug": SLUG_MARK}

    def items(self):
        return EditionProgramme.objects.filter(edition__archived_at__isnull=False).order_by(
            "edition__starts_in", "slug", "pk"
        )

    def _item_count(self):
        return sum(frozen for _, frozen in self._archived)

    def rows(self, first, count):
        rows = self.items().values_list("edition__starts_in", "slug", "edition__archived_at")
        return [
            ({EDITION_MARK: Edition(starts_in=year).slug, SLUG_MARK: slug}, archived_at)
            for year, slug, archived_at in rows[first : first + count]
        ]


SITEMAPS = {
    "programmes": ProgrammeSitemap,
    "universities": UniversitySitemap,
    "editions": EditionSitemap,
    "edition-programmes": EditionProgrammeSitemap,
}


@conditional
def index(request):
    """/sitemap.xml: Django's index of the sections' pages, kept per catalog revision."""
    download = KeptDownload(request, "sitemap-index")
    kept = download.kept()
    if kept is None:
        response = django_views.index(
            request, sitemaps=SITEMAPS, sitemap_url_name="sitemap-section"
        )
        # Django's index names each page on the requesting host; the site's is SITE_URL.
        for entry in response.context_data["sitemaps"]:
            address = urlsplit(entry.location)
            entry.location = site_address.absolute_url(
                address.path + (f"?{address.query}" if address.query else "")
            )
        response.render()
        kept = download.keep(response.content, [ROBOTS])
    return download.response(kept, XML_CONTENT_TYPE)


@conditional
def section(request, section):
    """/sitemap-<section>.xml?p=<page>: one page of a section's addresses (see above)."""
    sitemap = SITEMAPS.get(section)
    number = request.GET.get("p", "1")
    valid_number = number.isascii() and number.isdigit() and number[0] != "0"
    if sitemap is None or not valid_number or len(number) > PAGE_NUMBER_DIGITS:
        raise Http404("No such sitemap page.")
    download = KeptDownload(request, "sitemap", section, int(number))
    kept = download.kept()
    if kept is None:
        body = sitemap().page(int(number), settings.SITE_URL)
        kept = download.keep(body, [ROBOTS])
    return download.response(kept, XML_CONTENT_TYPE)

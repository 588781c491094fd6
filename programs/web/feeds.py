"""Atom feeds of the public change log: the catalog's (with the list's filters) and a programme's.

Each entry is one PublicChange: the programme, when, and its lines in plain words. A programme's
title the catalog infers (its source never names the programme) carries the inferred mark
wherever a feed shows it, as a feed has no room for the reason. Entry ids are
tag URIs (RFC 4151) of the site's host and the change's id, so they stay the same when a
programme's title or address changes. Every address in a feed is on the site's public origin
(settings.SITE_URL), whatever Host header the request came with.
"""

import unicodedata
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Stylesheet
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy
from django.utils.xmlutils import SimplerXMLGenerator

from programs.core import site_address
from programs.core.site_address import absolute_url
from programs.display.facts import title_fact
from programs.finder.filters import STATUS_ALL, ProgrammeFilter
from programs.models import Programme, PublicChange

# Entries per feed: readers poll often, so the latest changes are enough.
FEED_LENGTH = 50


@dataclass
class FeedSource:
    """What one request's feed is about: its changes, its page and its own address."""

    title: str
    subtitle: str
    link: str
    feed_url: str
    host: str
    changes: list


def without_control_characters(text):
    """`text` without the control characters XML may not hold (a search typed with one, such
    as a backspace, would otherwise make the feed fail)."""
    return "".join(c for c in text if c in "\t\n\r" or unicodedata.category(c) != "Cc")


class StyledAtomFeed(Atom1Feed):
    """Atom with its xml-stylesheet instructions, which Django writes for RSS only.

    They make a browser show the feed as a page (static/feeds/atom.xsl, styled by
    static/css/feed.css) instead of raw XML; feed readers ignore them, and the feed stays the
    same Atom.
    """

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        # After the XML declaration, before the root element, as XML requires.
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", str(stylesheet))
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


def opened_in_a_browser(request):
    """Whether a person opened the feed in a browser tab: it asks for a page (text/html), and
    not for a feed, as feed readers do."""
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "atom" not in accept and "rss" not in accept


# How programs/web/harvesting.py keeps and revalidates a feed: a browser tab's copy apart from a
# feed reader's (their Content-Type differs), and caches told the answer depends on Accept.
HARVESTED_AS = {"variant": opened_in_a_browser, "vary": ("Accept",)}


class ChangeFeed(Feed):
    """The shared shape of both feeds: Atom, one entry per public change."""

    feed_type = StyledAtomFeed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # Chromium shows application/atom+xml as raw text and applies no stylesheet; as XML it
        # runs the feed's XSLT. The same bytes, labelled for the browser that asked for a page.
        if response.status_code == 200 and opened_in_a_browser(request):
            response["Content-Type"] = "application/xml; charset=utf-8"
        return response

    author_name = gettext_lazy("Curriculum catalog")

    def stylesheets(self):
        # The page's stylesheet is named here for the XSLT to link (static names are hashed).
        return [
            Stylesheet(static("feeds/atom.xsl"), mimetype="text/xsl"),
            Stylesheet(static("css/feed.css"), mimetype="text/css"),
        ]

    def title(self, source):
        return source.title

    def subtitle(self, source):
        return source.subtitle

    def link(self, source):
        return source.link

    def feed_url(self, source):
        return source.feed_url

    def feed_guid(self, source):
        # The feed's own address, filters included: two filtered feeds are two feeds.
        return source.feed_url

    def items(self, source):
        for change in source.changes:
            change.tag_uri = f"tag:{source.host},{change.changed_at:%Y-%m-%d}:change/{change.pk}"
        return source.changes

    def item_title(self, change):
        return f"{shown_title(change.programme)}: {change.title}"

    def item_description(self, change):
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((text,) for text in change.descriptions)),
        )

    def item_link(self, change):
        # Absolute already, so Django's Feed doesn't prefix the request's host.
        return absolute_url(change.get_absolute_url())

    def item_guid(self, change):
        return change.tag_uri

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.changed_at

    def item_updateddate(self, change):
        return change.changed_at


def shown_title(programme):
    """The programme's title as a feed shows it: marked when inferred (needs `fact_sources`)."""
    return title_fact(programme).marked_text


def _tag_host():
    """The host name for tag URIs: without a port, which a tag's authority can't hold, and a
    name rather than an IPv6 address, which it can't hold either."""
    host = site_address.host_name()
    return "localhost" if ":" in host else host


class CatalogChangeFeed(ChangeFeed):
    """The latest public changes of the published programmes the list's filters select."""

    def __call__(self, request, *args, **kwargs):
        filterset = ProgrammeFilter(
            ProgrammeFilter.selection_only(request.GET),
            queryset=Programme.objects.published(),
            default_status=STATUS_ALL,
        )
        if not filterset.is_valid():
            lines = [f"{name}: {message}" for name, _, message in filterset.problems()]
            message = gettext("The feed was not made because of these parameters:")
            message += "\n" + "\n".join(lines)
            return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")
        request.programme_filter = filterset
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        filterset = request.programme_filter
        query = filterset.applied_query()
        suffix = f"?{query}" if query else ""
        chips = "; ".join(chip.label for chip in filterset.chips())
        changes = PublicChange.objects.of_programmes(filterset.qs).for_display()
        # How each programme's title is known, for its mark.
        changes = changes.prefetch_related("programme__fact_sources")
        return FeedSource(
            title=gettext("What changed in the curriculum catalog")
            + (f" ({without_control_characters(chips)})" if chips else ""),
            subtitle=gettext(
                "Changes to the public facts of published study programmes, newest first."
            ),
            link=absolute_url(reverse("programs:change-list") + suffix),
            feed_url=absolute_url(reverse("programs:change-feed") + suffix),
            host=_tag_host(),
            changes=list(changes[:FEED_LENGTH]),
        )


class ProgrammeChangeFeed(ChangeFeed):
    """The public changes of one published programme, newest first."""

    def get_object(self, request, slug):
        programmes = Programme.objects.published().prefetch_related("fact_sources")
        programme = get_object_or_404(programmes, slug=slug)
        title = shown_title(programme)
        changes = PublicChange.objects.filter(programme=programme).defer("snapshot")
        changes = list(changes.order_by("-changed_at", "-pk")[:FEED_LENGTH])
        for change in changes:
            change.programme = programme  # the one already loaded
        feed_address = reverse("programs:programme-change-feed", kwargs={"slug": slug})
        return FeedSource(
            title=gettext("What changed: %(title)s") % {"title": title},
            subtitle=gettext("Changes to the public facts of %(title)s, newest first.")
            % {"title": title},
            link=absolute_url(programme.get_absolute_url() + "#changes"),
            feed_url=absolute_url(feed_address),
            host=_tag_host(),
            changes=changes,
        )

"""What a page carries on paper, where nothing can be clicked: addresses written out in full."""

from django import template

from programs.core.site_address import absolute_url

register = template.Library()


@register.filter
def site_address(path):
    """`path` (a page of this site, e.g. a programme's get_absolute_url) as its full address on
    the site's public origin, never the request's host (the list is a kept page)."""
    return absolute_url(path)

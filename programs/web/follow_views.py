"""How to follow a programme or a search: its follow page (the feed's address and what a feed
is, and the e-mail alert form), and the alert's confirm and unsubscribe pages.

The pages named by a link in a mail show a button on GET and act on POST only, so a mail
scanner that opens every link neither confirms nor unsubscribes anyone. The unsubscribe POST
needs no CSRF token: mail programs send it themselves (RFC 8058 one-click), and its signed
token is all the authority it needs. Every POST is counted by the write throttle
(programs/web/write_throttle.py) like any visitor's write.
"""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from programs.actions import alerts
from programs.core.site_address import absolute_url
from programs.models import Programme
from programs.web import alert_mails
from programs.web.alert_form import AlertForm
from programs.web.feeds import shown_title


def _follow_page(request, context, ask, search=""):
    """Show the follow page, or ask for the alert the posted form names (`ask(email)`)."""
    form = AlertForm(request.POST if request.method == "POST" else None, search=search)
    if request.method == "POST" and form.is_valid():
        alert, owed = ask(form.cleaned_data["email"])
        if owed:
            alert_mails.send_confirmation(alert)
        # The same answer whether the address was new, waiting or confirmed already: the page
        # tells nobody who follows what.
        context = {**context, "email": form.cleaned_data["email"]}
        return render(request, "programs/alert_asked.html", context)
    status = 400 if form.is_bound else 200
    return render(request, "programs/follow.html", {**context, "form": form}, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def programme_follow(request, slug):
    """How to follow one published programme: its feed, or a daily e-mail."""
    programmes = Programme.objects.published().prefetch_related("fact_sources")
    programme = get_object_or_404(programmes, slug=slug)
    feed = reverse("programs:programme-change-feed", kwargs={"slug": slug})
    context = {
        "programme": programme,
        "title": shown_title(programme),
        "feed_url": absolute_url(feed),
        "back_url": programme.get_absolute_url(),
    }
    return _follow_page(
        request,
        context,
        lambda email: alerts.ask(email, translation.get_language(), programme=programme),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def search_follow(request):
    """How to follow the changes of the programmes the list's filters select."""
    filterset = alert_mails.search_filter(request.GET.urlencode())
    filterset.is_valid()
    query = filterset.applied_query()
    suffix = f"?{query}" if query else ""
    context = {
        "chips": filterset.chips(),
        "problems": filterset.problems(),
        "query": query,
        "feed_url": absolute_url(reverse("programs:change-feed") + suffix),
        "back_url": reverse("programs:change-list") + suffix,
        "follow_url": reverse("programs:search-follow") + suffix,
    }
    return _follow_page(
        request,
        context,
        lambda email: alerts.ask(email, translation.get_language(), search=query),
        search=query,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_alert(request, token):
    """The confirmation link: a button on GET, the alert started on POST."""
    alert = alerts.alert_to_confirm(token)
    if alert is None:
        return render(request, "programs/alert_link_unusable.html", status=400)
    if request.method == "POST":
        alerts.confirm(alert)
    context = {
        "alert": alert,
        "subject": alert_mails.subject(alert),
        "confirmed": alert.confirmed_at is not None,
    }
    return render(request, "programs/alert_confirm.html", context)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_alert(request, token):
    """The unsubscribe link: a button on GET; on POST (the button, or a mail program's
    one-click) the alert and its address are deleted."""
    alert = alerts.alert_to_unsubscribe(token)
    if request.method == "POST":
        if alert is not None:
            alerts.unsubscribe(alert)
        # Also when it was deleted already: a second click finds the same news.
        return render(request, "programs/alert_unsubscribed.html")
    if alert is None:
        return render(request, "programs/alert_unsubscribed.html", {"already": True})
    context = {"alert": alert, "subject": alert_mails.subject(alert)}
    return render(request, "programs/alert_unsubscribe.html", context)

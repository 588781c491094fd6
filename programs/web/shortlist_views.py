"""Shortlist pages: the visitor's own list, its edits (POST only) and the read-only shared view.

Every write answers with a redirect (plain forms, no JavaScript needed) or, for an htmx request
from an "Add to shortlist" button, the refreshed button and the header counter.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from programs.core.limits import (
    MAX_COMPARED,
    SHORTLIST_MAX_ENTRIES,
    SHORTLIST_MAX_NOTE,
    SLUG_PATTERN,
)
from programs.core.site_address import absolute_url
from programs.models import Programme
from programs.visitors import shortlists
from programs.visitors.compare_selection import compare_url
from programs.web.button_posts import return_address, wants_fragment
from programs.web.csv_export import write_shortlist_csv
from programs.web.views import bad_separator, public_page, requested_separator

FULL_MESSAGE = gettext_lazy(
    "Your shortlist already holds %(limit)d programmes, the most it can. "
    "Remove one to make room for another."
)


class NoteForm(forms.Form):
    """A note: at most SHORTLIST_MAX_NOTE characters once line breaks are normalised."""

    note = forms.CharField(required=False, strip=False)

    def clean_note(self):
        note = shortlists.normalise_note(self.cleaned_data["note"])
        if len(note) > SHORTLIST_MAX_NOTE:
            raise forms.ValidationError(
                gettext(
                    "A note can be at most %(limit)s characters; this one has %(length)s. "
                    "Shorten it and save again."
                )
                % {
                    "limit": number_format(SHORTLIST_MAX_NOTE, force_grouping=True),
                    "length": number_format(len(note), force_grouping=True),
                }
            )
        return note


def _programme_key(request):
    """The `programme` a form names, if it can be a slug at all (else 404, never a query)."""
    value = request.POST.get("programme", "")
    if not SLUG_PATTERN.match(value):
        raise Http404("No such programme.")
    return value


def _own_or_404(request, lock=True):
    shortlist = shortlists.own_shortlist(request, lock=lock)
    if shortlist is None:
        raise Http404("There is no shortlist on this device.")
    return shortlist


def _shortlist_url(anchor=""):
    return reverse("programs:shortlist") + (f"#{anchor}" if anchor else "")


def _entries_context(entries):
    """The entries, and the compare link of their published ones. (Each entry's facts, its
    country among them, come from its programme's card: programs/display/facts.py.)"""
    public_slugs = [entry.programme.slug for entry in entries if entry.is_public]
    return {
        "entries": entries,
        "public_count": len(public_slugs),
        "compare_url": compare_url(public_slugs[:MAX_COMPARED]) if len(public_slugs) >= 2 else "",
        "compare_count": min(len(public_slugs), MAX_COMPARED),
        "max_compared": MAX_COMPARED,
        "max_entries": SHORTLIST_MAX_ENTRIES,
        "max_note": SHORTLIST_MAX_NOTE,
        # The printed-on date: a shortlist page is never kept, so today's is right for it.
        "today": timezone.localdate(),
    }


def _render_own(request, shortlist, entries, extra=None, status=200):
    extra = extra or {}
    drafts, errors = extra.get("note_drafts", {}), extra.get("note_errors", {})
    for entry in entries:
        entry.note_draft = drafts.get(entry.key, entry.note)
        entry.note_errors = errors.get(entry.key, [])
    context = {
        "shortlist": shortlist,
        "share_url": (
            absolute_url(
                reverse("programs:shortlist-shared", kwargs={"token": shortlist.share_token})
            )
            if shortlist is not None and shortlist.share_token
            else ""
        ),
        **_entries_context(entries),
        "page_error": extra.get("page_error", ""),
    }
    return render(request, "programs/shortlist.html", context, status=status)


# ---------- The visitor's own list ----------


@never_cache
@public_page
def shortlist_page(request):
    """The visitor's shortlist in their order, with notes and what can be done with it."""
    shortlist = shortlists.own_shortlist(request)
    entries = []
    if shortlist is not None:
        entries = shortlists.entries_for_display(shortlist)
        shortlists.touch(shortlist)
        # Another device holding the edit link may have changed it: refresh the header count.
        shortlists.remember(request, shortlist, entries, renew=False)
    return _render_own(request, shortlist, entries)


@never_cache
@public_page
def own_export_csv(request):
    shortlist = shortlists.own_shortlist(request)
    entries = shortlists.entries_for_display(shortlist, for_export=True) if shortlist else []
    return _csv_response(request, entries)


@require_POST
def add(request):
    """Add a published programme (idempotent), creating the visitor's list if needed."""
    programme = get_object_or_404(Programme.objects.published(), slug=_programme_key(request))
    with transaction.atomic():
        shortlist = shortlists.own_or_new(request)
        try:
            added = shortlists.add(shortlist, programme)
        except shortlists.ShortlistFull:
            level, message = messages.ERROR, FULL_MESSAGE % {"limit": SHORTLIST_MAX_ENTRIES}
        else:
            level = messages.SUCCESS
            message = (
                gettext("“%(title)s” is now on your shortlist.")
                if added
                else gettext("“%(title)s” was already on your shortlist.")
            ) % {"title": programme.title}
        shortlists.mark_used(shortlist)
        shortlists.remember(request, shortlist)
    return _button_answer(request, programme, level, message)


@require_POST
def remove(request):
    """Take a programme off the visitor's list (answers as done when it was not there)."""
    key = _programme_key(request)
    with transaction.atomic():
        shortlist = _own_or_404(request)
        entry = shortlists.find_entry(shortlist, key)
        if entry is not None:
            entry.delete()
            shortlists.mark_used(shortlist)
        shortlists.remember(request, shortlist)
    title = entry.title if entry is not None else key
    programme = entry.programme if entry is not None else None
    message = gettext("“%(title)s” is no longer on your shortlist.") % {"title": title}
    if programme is None:
        programme = Programme.objects.published().filter(slug=key).first()
    if programme is not None and programme.published:
        return _button_answer(request, programme, messages.SUCCESS, message)
    messages.success(request, message)
    return HttpResponseRedirect(return_address(request, _shortlist_url()))


def _button_answer(request, programme, level, message):
    """The refreshed "Add to shortlist" control (htmx) or a redirect back with a message."""
    next_url = return_address(request, programme.get_absolute_url())
    if wants_fragment(request):
        context = {
            "programme": programme,
            "next_url": next_url,
            "shortlist_message": message,
            "shortlist_message_is_error": level == messages.ERROR,
            "oob_counter": True,
        }
        return render(request, "programs/_shortlist_button.html", context)
    messages.add_message(request, level, message)
    return HttpResponseRedirect(next_url)


@require_POST
def note(request):
    """Save an entry's note; a note past the limit is shown back, unsaved, with a message."""
    key = _programme_key(request)
    form = NoteForm(request.POST)
    with transaction.atomic():
        shortlist = _own_or_404(request)
        entry = shortlists.find_entry(shortlist, key)
        if entry is None:
            raise Http404("That programme is not on your shortlist.")
        if not form.is_valid():
            draft = request.POST.get("note", "").replace("\x00", "")
            problem = gettext("The note on “%(title)s” was not saved: %(errors)s") % {
                "title": entry.title,
                "errors": " ".join(form.errors["note"]),
            }
            if wants_fragment(request):
                entry.note_draft, entry.note_errors = draft, form.errors["note"]
                return _note_answer(request, entry, problem)
            entries = shortlists.entries_for_display(shortlist)
            extra = {
                "note_errors": {key: form.errors["note"]},
                "note_drafts": {key: draft},
                "page_error": problem,
            }
            return _render_own(request, shortlist, entries, extra)
        entry.note = form.cleaned_data["note"]
        entry.save(update_fields=["note"])
        shortlists.mark_used(shortlist)
        shortlists.remember(request, shortlist)
    message = gettext("Your note on “%(title)s” is saved.") % {"title": entry.title}
    if wants_fragment(request):
        entry.note_draft, entry.note_errors = entry.note, []
        return _note_answer(request, entry, message)
    messages.success(request, message)
    return redirect(_shortlist_url(f"entry-{entry.key}"))


def _note_answer(request, entry, message):
    """The entry's note alone (htmx): the other entries, and what is typed in them, stay as
    they are in the visitor's page."""
    context = {"entry": entry, "max_note": SHORTLIST_MAX_NOTE, "note_message": message}
    return render(request, "programs/_shortlist_note.html", context)


@require_POST
def move(request):
    """Move an entry up, down, first or last (`direction`)."""
    key = _programme_key(request)
    direction = request.POST.get("direction", "")
    if direction not in shortlists.MOVES:
        raise BadRequest("direction must be up, down, first or last")
    with transaction.atomic():
        shortlist = _own_or_404(request)
        entry = shortlists.find_entry(shortlist, key)
        if entry is None:
            raise Http404("That programme is not on your shortlist.")
        shortlists.move(shortlist, entry, direction)
        shortlists.mark_used(shortlist)
        shortlists.remember(request, shortlist)
    return redirect(_shortlist_url(f"entry-{entry.key}"))


@require_POST
def clear(request):
    """Remove every programme and note (the list and its links stay)."""
    with transaction.atomic():
        shortlist = _own_or_404(request)
        shortlist.entries.all().delete()
        shortlists.mark_used(shortlist)
        shortlists.remember(request, shortlist, entries=[])
    messages.success(request, gettext("Your shortlist is now empty."))
    return redirect(_shortlist_url())


@require_POST
def share(request):
    """Make the read-only link, or replace it (the old one stops working)."""
    with transaction.atomic():
        shortlist = _own_or_404(request)
        replaced = bool(shortlist.share_token)
        shortlists.replace_share_token(shortlist)
        shortlists.mark_used(shortlist)
        shortlists.remember(request, shortlist)
    messages.success(
        request,
        gettext("Here is a new read-only link; the old one no longer works.")
        if replaced
        else gettext(
            "Here is your read-only link. Anyone who has it can see the list and your notes."
        ),
    )
    return redirect(_shortlist_url("share"))


@require_POST
def revoke(request):
    """Turn the read-only link off."""
    with transaction.atomic():
        shortlist = _own_or_404(request)
        shortlists.revoke_share_token(shortlist)
        shortlists.mark_used(shortlist)
        shortlists.remember(request, shortlist)
    messages.success(request, gettext("The read-only link no longer works."))
    return redirect(_shortlist_url("share"))


@never_cache
@require_POST
def edit_link(request):
    """Make a private edit link (replacing any earlier one) and show it, this once."""
    with transaction.atomic():
        shortlist = _own_or_404(request)
        token = shortlists.replace_edit_token(shortlist)
        shortlists.mark_used(shortlist)
        shortlists.remember(request, shortlist)
    url = absolute_url(reverse("programs:shortlist-edit-link-open", kwargs={"token": token}))
    response = render(request, "programs/shortlist_edit_link.html", {"edit_url": url})
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def open_edit_link(request, token):
    """A private edit link: GET says what it is, POST makes the list this device's."""
    shortlist = shortlists.shortlist_for_edit_token(token)
    if shortlist is None:
        return _gone(request)
    if request.method == "POST":
        with transaction.atomic():
            shortlists.mark_used(shortlist)
            shortlists.remember(request, shortlist, via=shortlist.edit_token_hash)
        messages.success(request, gettext("This shortlist is now yours to edit on this device."))
        return redirect(_shortlist_url())
    own_id = shortlists.own_shortlist_id(request)
    context = {
        "count": shortlist.entries.count(),
        "already_own": own_id == shortlist.pk,
        "other_count": shortlists.summary(request).count if own_id else 0,
    }
    response = render(request, "programs/shortlist_edit_open.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


# ---------- The read-only shared view ----------


def _gone(request):
    response = render(request, "programs/shortlist_gone.html", status=404)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@public_page
def shared(request, token):
    """A shortlist as its read-only link shows it: programmes and notes, nothing to change."""
    shortlist = shortlists.shared_shortlist(token)
    if shortlist is None:
        return _gone(request)
    entries = shortlists.entries_for_display(shortlist)
    shortlists.touch(shortlist)
    context = {
        "shortlist": shortlist,
        "token": token,
        "is_own": shortlists.own_shortlist_id(request) == shortlist.pk,
        **_entries_context(entries),
    }
    response = render(request, "programs/shortlist_shared.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@public_page
def shared_export_csv(request, token):
    shortlist = shortlists.shared_shortlist(token)
    if shortlist is None:
        return _gone(request)
    response = _csv_response(request, shortlists.entries_for_display(shortlist, for_export=True))
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
def copy(request, token):
    """Add a shared list's published programmes, with their notes, to the visitor's own."""
    source = shortlists.shared_shortlist(token)
    if source is None:
        return _gone(request)
    with transaction.atomic():
        own = shortlists.own_or_new(request)
        if own.pk == source.pk:
            messages.info(request, gettext("This is your own shortlist already."))
            return redirect(_shortlist_url())
        added, left_out = shortlists.copy_into(source, own)
        if own.pk is not None:  # a new list is kept only when something was copied into it
            shortlists.mark_used(own)
            shortlists.remember(request, own)
    message = ngettext(
        "%(count)d programme copied to your shortlist.",
        "%(count)d programmes copied to your shortlist.",
        added,
    ) % {"count": added}
    if left_out:
        message += " " + (
            gettext("%(count)d did not fit: a shortlist holds at most %(limit)d programmes.")
            % {"count": left_out, "limit": SHORTLIST_MAX_ENTRIES}
        )
        messages.warning(request, message)
    else:
        messages.success(request, message)
    return redirect(_shortlist_url())


def _csv_response(request, entries):
    # The catalog export's separator: by the page's language, or as `sep=` chooses.
    delimiter = requested_separator(request)
    if delimiter is None:
        return bad_separator()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="shortlist.csv"'
    # The byte order mark makes Excel read the file as UTF-8 rather than the local code page.
    response.write("\ufeff")
    write_shortlist_csv(response, entries, absolute_url, delimiter)
    return response

"""The programme list's filters: ProgrammeFilter's field names are the public URL parameters.

Advisors paste these addresses into e-mails, so the names (`q`, `language`, `ects_min`, ...) are a
contract. Besides filtering, the filter set knows how to describe itself to the page: the facet
options with their counts, the active filters as removable chips, and how many programmes an ECTS
bound left out because their ECTS is not stated.

Its parts live beside it: the fields that keep a link's valid values (filter_fields), the
facets' options (facets), the list's query strings (query_strings) and its pages (paging).
"""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.http import QueryDict
from django.utils import formats, translation
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext, pgettext_lazy

from programs.core import names
from programs.core.fields_of_study import FieldOfStudy, field_label
from programs.core.limits import (
    BACK_QUERY_MAX_LENGTH,
    DURATION_FILTER_MAX,
    ECTS_FILTER_MAX,
    SEARCH_MAX_LENGTH,
)
from programs.core.search_words import query_words
from programs.finder.cache import CatalogCache
from programs.finder.facets import Facet, fill_options
from programs.finder.filter_fields import (
    IntegerFilter,
    PartlyValidModelMultipleChoiceFilter,
    RepeatableChoiceFilter,
)
from programs.finder.paging import ProgrammesInOrder
from programs.finder.query_strings import query_without
from programs.models import (
    Background,
    Delivery,
    Language,
    Level,
    StartTerm,
    StudyMode,
    University,
)
from programs.search import facet_index, query_understanding

# A valid floating-point number in HTML, the only value an <input type=number> may carry.
HTML_NUMBER = re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?")

SORT_CHOICES = [
    ("relevance", gettext_lazy("Best match")),
    ("title", gettext_lazy("Title, A to Z")),
    ("-title", gettext_lazy("Title, Z to A")),
    ("ects", gettext_lazy("ECTS, fewest first")),
    ("-ects", gettext_lazy("ECTS, most first")),
    ("duration", gettext_lazy("Duration, shortest first")),
    ("-duration", gettext_lazy("Duration, longest first")),
    ("-checked", gettext_lazy("Checked against the source, most recently first")),
    ("checked", gettext_lazy("Checked against the source, longest ago first")),
]
# Which programmes the list shows by what they admit: those still admitting (the default, also
# when the parameter is absent), only the retired ones, or both. A retired programme keeps its
# page; the list leaves it out unless asked, as do its counts, its search and its CSV.
STATUS_CURRENT, STATUS_RETIRED, STATUS_ALL = "current", "retired", "all"
STATUS_CHOICES = [
    (STATUS_CURRENT, gettext_lazy("Still admitting")),
    (STATUS_RETIRED, gettext_lazy("Retired only")),
    (STATUS_ALL, gettext_lazy("All, retired included")),
]

# The sorts by a fact a programme may state, leave to be inferred, or not state: an inferred
# value sorts as the value it is (its card marks it), an unstated one last.
SORTS_BY_FACT = ("ects", "-ects", "duration", "-duration")


def cut_search_text(text):
    """`text` cut to SEARCH_MAX_LENGTH characters, and a notice saying so ("" when not cut)."""
    if len(text) <= SEARCH_MAX_LENGTH:
        return text, ""
    notice = gettext(
        "The search text was longer than %(limit)d characters; "
        "only its first %(limit)d were searched for."
    ) % {"limit": SEARCH_MAX_LENGTH}
    return text[:SEARCH_MAX_LENGTH], notice


def list_query_from(text):
    """The list's query string carried in a `from` parameter, reduced to the list's own
    parameters (non-empty, without NUL characters), for a link back to that list.

    Nothing is looked up: the list checks the values itself when the link is followed, and the
    link always goes to the list, so a forged `from` can lead nowhere else.
    """
    if not text or len(text) > BACK_QUERY_MAX_LENGTH:
        return ""
    allowed = {*ProgrammeFilter.base_filters, "page"}
    query = QueryDict(mutable=True)
    for key, values in QueryDict(text).lists():
        kept = [value for value in values if value and "\x00" not in value]
        if key in allowed and kept:
            query.setlist(key, kept)
    return query.urlencode()


class ProgrammeFilterForm(forms.Form):
    """The filter set's form: caps the search text and checks fields against each other."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Messages about input we could use after changing it, shown next to the field.
        self.notices = {}

    def clean_q(self):
        text, notice = cut_search_text(self.cleaned_data.get("q") or "")
        if notice:
            self.notices["q"] = notice
        return text

    def clean(self):
        data = super().clean()
        for name, form_field in self.fields.items():
            rejected = getattr(form_field, "rejected", None)
            if rejected and name in data:
                # Marked as an error, but unlike add_error() the valid values stay in
                # cleaned_data, so the list still applies them.
                errors = self._errors.setdefault(name, self.error_class(renderer=self.renderer))
                errors.extend(ValidationError(rejected).messages)
        if data.get("tuition_max") is not None and not data.get("tuition_currency"):
            # Amounts in different currencies can't be compared without converting them.
            self.add_error(
                "tuition_currency",
                gettext("Choose the currency of the amount, such as EUR: fees are not converted."),
            )
        low, high = data.get("ects_min"), data.get("ects_max")
        if low is not None and high is not None and low > high:
            self.add_error("ects_max", gettext("The maximum ECTS must not be below the minimum."))
        low, high = data.get("duration_min"), data.get("duration_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "duration_max", gettext("The longest duration must not be below the shortest.")
            )
        if "sort" not in self.errors:
            if data.get("sort") == "relevance" and not data.get("q"):
                self.add_error("sort", gettext("Sorting by best match needs a search text."))
            elif not data.get("sort"):
                data["sort"] = "relevance" if data.get("q") else "title"
        return data


@dataclass
class Chip:
    """An active filter value and the query string of the same list without it."""

    label: str
    query: str
    # The label inside quotation marks ("Remove “…”"): a quote in it takes the inner marks.
    in_quotes: str = ""


class ProgrammeFilter(django_filters.FilterSet):
    """Filters for the public programme list and its CSV export."""

    q = django_filters.CharFilter(method="filter_search", label=gettext_lazy("Search"))
    language = PartlyValidModelMultipleChoiceFilter(
        queryset=Language.objects.all(),
        to_field_name="code",
        lowercase=True,
        method="filter_language",
        label=gettext_lazy("Teaching language"),
        error_messages={
            "invalid_choice": gettext_lazy("“%(value)s” is not a teaching language we list.")
        },
    )
    ects_min = IntegerFilter(
        field_name="ects",
        lookup_expr="gte",
        min_value=0,
        max_value=ECTS_FILTER_MAX,
        label=gettext_lazy("ECTS from"),
    )
    ects_max = IntegerFilter(
        field_name="ects",
        lookup_expr="lte",
        min_value=0,
        max_value=ECTS_FILTER_MAX,
        label=gettext_lazy("ECTS to"),
    )
    duration_min = IntegerFilter(
        field_name="duration_semesters",
        lookup_expr="gte",
        min_value=0,
        max_value=DURATION_FILTER_MAX,
        label=gettext_lazy("Semesters from"),
    )
    duration_max = IntegerFilter(
        field_name="duration_semesters",
        lookup_expr="lte",
        min_value=0,
        max_value=DURATION_FILTER_MAX,
        label=gettext_lazy("Semesters to"),
    )
    field = RepeatableChoiceFilter(
        field_name="field_of_study",
        lookup_expr="exact",
        choices=FieldOfStudy.choices,
        label=gettext_lazy("Field of study"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "“%(value)s” is not a field of study we list: choose an ISCED-F 2013 narrow "
                "field by its three-digit code, such as 091."
            )
        },
    )
    country = RepeatableChoiceFilter(
        method="filter_country",
        pattern=r"[A-Za-z]{2}",
        label=gettext_lazy("Country"),
        error_messages={
            "invalid_choice": gettext_lazy("Choose a country by its two-letter code, such as DE.")
        },
    )
    university = PartlyValidModelMultipleChoiceFilter(
        # Only universities the public can see: a draft-only one is "not a university we list".
        queryset=University.objects.public(),
        to_field_name="slug",
        method="filter_university",
        label=gettext_lazy("University"),
        error_messages={"invalid_choice": gettext_lazy("“%(value)s” is not a university we list.")},
    )
    level = RepeatableChoiceFilter(
        field_name="level",
        lookup_expr="exact",
        choices=Level.choices,
        label=gettext_lazy("Level"),
        error_messages={"invalid_choice": gettext_lazy("Choose a level from the list.")},
    )
    study_mode = RepeatableChoiceFilter(
        field_name="study_mode",
        lookup_expr="exact",
        choices=StudyMode.choices,
        label=gettext_lazy("Study mode"),
        error_messages={"invalid_choice": gettext_lazy("Choose a study mode from the list.")},
    )
    delivery = RepeatableChoiceFilter(
        field_name="delivery",
        lookup_expr="exact",
        choices=Delivery.choices,
        label=gettext_lazy("Delivery"),
        error_messages={"invalid_choice": gettext_lazy("Choose a kind of delivery from the list.")},
    )
    start = RepeatableChoiceFilter(
        field_name="start_term",
        lookup_expr="exact",
        choices=StartTerm.choices,
        label=pgettext_lazy("start of studies", "Start"),
        error_messages={"invalid_choice": gettext_lazy("Choose a start term from the list.")},
    )
    background = RepeatableChoiceFilter(
        method="filter_background",
        choices=Background.choices,
        label=gettext_lazy("Your background"),
        error_messages={"invalid_choice": gettext_lazy("Choose a background from the list.")},
    )
    # Only programmes whose source states a deadline or a fee can match these two.
    apply_by = django_filters.DateFilter(
        method="filter_apply_by",
        label=gettext_lazy("Still open for applications on"),
        error_messages={"invalid": gettext_lazy("Enter a date as YYYY-MM-DD.")},
    )
    tuition_max = django_filters.NumberFilter(
        method="filter_tuition",
        label=gettext_lazy("Tuition up to (a year)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
    )
    tuition_currency = django_filters.CharFilter(
        # Applied with tuition_max (filter_tuition): fees are compared in one currency only.
        method="keep_all",
        label=gettext_lazy("Currency of the tuition"),
        validators=[
            RegexValidator(
                r"^[A-Za-z]{3}$",
                gettext_lazy("Choose a currency by its three-letter code, such as EUR."),
            )
        ],
    )
    status = django_filters.ChoiceFilter(
        method="filter_status",
        choices=STATUS_CHOICES,
        label=gettext_lazy("Retired programmes"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Choose current, retired or all; the list shows the programmes still admitting."
            )
        },
    )
    # Declared last so it orders the fully filtered (and, with `q`, ranked) queryset.
    sort = django_filters.ChoiceFilter(
        method="sort_results",
        choices=SORT_CHOICES,
        label=gettext_lazy("Sort"),
        error_messages={"invalid_choice": gettext_lazy("Choose a sort order from the list.")},
    )

    def __init__(self, *args, default_status=STATUS_CURRENT, **kwargs):
        super().__init__(*args, **kwargs)
        # What `status` is when absent or refused: the programmes still admitting on the list;
        # every one on the change log and its feeds, where a retirement is news.
        self.default_status = default_status
        # The request's, when the page cache has read the revision already (one read a request).
        self.catalog_cache = getattr(self.request, "catalog_cache", None) or CatalogCache()
        self._counts = None
        self._summary = None
        self._index = None
        # What the search found, by part (FacetIndex.found), when the list searches.
        self._search_hits = None
        self._unsearched = None
        self._understood = None

    class Meta:
        form = ProgrammeFilterForm
        fields = []  # Only the filters declared above: never every model field.

    # The facets shown with counts, in the form's order. Each is repeatable and its values are
    # alternatives ("Sweden or Italy"); different facets combine with "and".
    FACETS = (
        "field",
        "language",
        "country",
        "university",
        "level",
        "study_mode",
        "delivery",
        "start",
        "background",
    )
    # The filters the facet index can't apply: the database answers them with a set of ids.
    DATABASE_FILTERS = ("apply_by", "tuition_max")

    def filter_search(self, queryset, name, value):
        return queryset.search(self.understood_search().searched)

    def understood_search(self):
        """The search text and the English words searched for it on this page's language
        (programs/search/query_understanding.py); both "" without a search."""
        if self._understood is None:
            self.form.is_valid()
            text = self.form.cleaned_data.get("q") or ""
            self._understood = query_understanding.understand(text, translation.get_language())
        return self._understood

    def filter_language(self, queryset, name, value):
        return queryset.taught_in([language.code for language in value]) if value else queryset

    def filter_country(self, queryset, name, value):
        return queryset.offered_in_countries(value)

    def filter_university(self, queryset, name, value):
        return queryset.offered_by([u.slug for u in value]) if value else queryset

    def filter_background(self, queryset, name, value):
        return queryset.for_backgrounds(value)

    def filter_apply_by(self, queryset, name, value):
        return queryset.open_for_applications_on(value) if value else queryset

    def filter_tuition(self, queryset, name, value):
        currency = self.form.cleaned_data.get("tuition_currency")
        if value is None or not currency:
            return queryset
        return queryset.tuition_at_most(value, currency)

    def filter_status(self, queryset, name, value):
        if value == STATUS_ALL:
            return queryset
        return queryset.filter(retired=True) if value == STATUS_RETIRED else queryset.admitting()

    def chosen_status(self):
        """Which programmes the list shows by what they admit: one of STATUS_CHOICES."""
        self.form.is_valid()
        return self.form.cleaned_data.get("status") or self.default_status

    def status_toggle_value(self):
        """What the filters' retired-programmes box sends when ticked: every programme, or
        only the retired ones while the list shows just those (unticked, it sends nothing)."""
        return STATUS_RETIRED if self.chosen_status() == STATUS_RETIRED else STATUS_ALL

    def keep_all(self, queryset, name, value):
        return queryset

    def sort_results(self, queryset, name, value):
        return queryset.sorted_by(value)

    def filter_queryset(self, queryset):
        return self._apply(queryset)

    def _apply(self, queryset, skip=()):
        """Apply every valid filter except those named in `skip` (call after validation)."""
        for name, value in self.form.cleaned_data.items():
            if name not in skip and name != "status":
                queryset = self.filters[name].filter(queryset, value)
        if "status" not in skip:
            # Applied when absent too: its default leaves retired programmes out of the list.
            queryset = self.filter_status(queryset, "status", self.chosen_status())
        return queryset

    def _chosen(self, name):
        """The valid chosen values of a parameter, as strings, in a list (maybe empty)."""
        value = self.form.cleaned_data.get(name)
        if value in (None, ""):
            return []
        if name == "language":
            return [language.code for language in value]
        if name == "university":
            return [university.slug for university in value]
        return list(value)

    def _label(self, name, value):
        """How an option of a facet reads on the page (without its count)."""
        if name == "language":
            return names.language_name(value)
        if name == "university":
            return next(u.name for u in self.form.cleaned_data["university"] if u.slug == value)
        if name == "country":
            return names.country_name(value)
        if name == "field":
            return field_label(value)
        return dict(self.filters[name].extra["choices"]).get(value, value)

    def _index_counts(self):
        """The list's counts and title order from the facet index (programs/search/facet_index.py),
        computed once a request.

        The search (with what ranks its results), the facets and the ECTS bounds are applied in
        the index; the deadlines and fees, which it can't apply, are asked of the database as a
        set of ids.
        """
        if self._counts is None:
            self.form.is_valid()
            self._index = self._facet_index()
            status = self.chosen_status()
            if status == STATUS_ALL:
                matching = self._index.everything()
            else:
                matching = self._index.of_status(retired=status == STATUS_RETIRED)
            database_filters = [
                name for name in self.DATABASE_FILTERS if self._applied_values(name)
            ]
            if database_filters:
                matching &= self._index.mask_of_ids(self._database_matches(database_filters))
            # Kept for the list the search help offers instead of the search (field_counts).
            self._unsearched = matching
            if self.form.cleaned_data.get("q"):
                searched = query_words(self.understood_search().searched)
                self._search_hits = self._index.found(searched)
                matching = matching & self._search_hits["all"]
            self._counts = self._index.counts(
                matching,
                {name: self._chosen(name) for name in self.FACETS},
                ects_bounds=self._bounds("ects"),
                duration_bounds=self._bounds("duration"),
            )
        return self._counts

    def field_counts_without_search(self):
        """{field of study: how many programmes the list shows with that field chosen in place
        of the search (and of any field chosen)}: the numbers of the search help's field offers.
        From the facet index, without asking the database again."""
        self._index_counts()
        counts = self._index.counts(
            self._unsearched,
            {name: self._chosen(name) for name in self.FACETS},
            ects_bounds=self._bounds("ects"),
            duration_bounds=self._bounds("duration"),
        )
        return counts.by_facet["field"]

    def search_index(self):
        """The index this list counted and searched with (its words are the catalog's own, for
        "did you mean"; its languages those the catalog teaches in)."""
        self._index_counts()
        return self._index

    def _facet_index(self):
        """The index the list counts, searches and orders with: the live catalog's."""
        return facet_index.at_revision(*self.catalog_cache.state)

    def _database_matches(self, names):
        """The ids of the programmes the DATABASE_FILTERS named apply to."""
        skip = [name for name in self.filters if name not in names]
        return self._apply(self.queryset.all(), skip=skip).values_list("pk", flat=True)

    # What the cached counts are filed under (an edition's are its own).
    counts_namespace = "facet-counts"

    def counts(self):
        """How many programmes match, per facet option, and left out for unknown ECTS: cached
        per catalog revision, so a search repeated does not ask the database again."""
        if self._summary is None:
            # Cached as a dict: a cached value holds no instance of our classes (finder/cache.py).
            # Not under "counts", where an earlier release stored pickled Summary instances.
            summary = self.catalog_cache.get_or_compute(
                self.counts_namespace,
                self._applied_pairs(skip=("sort",)),
                lambda: vars(self._index_counts().summary()),
            )
            self._summary = facet_index.Summary(**summary)
        return self._summary

    def results(self):
        """The matching programmes in the list's order, to be paged. Title order comes from
        the facet index, so a deep page costs what the first one does; the other orders (and
        the ranking of a search) from the database."""
        ids = self.ids_in_order()
        if ids is None:
            return self.qs.with_listing_data()
        return self.in_order(ids)

    def in_order(self, ids, for_export=False):
        """The programmes with these ids in this order, read a page at a time, with what a
        card (or a CSV row) shows."""
        queryset = self.queryset
        loaded = queryset.with_export_data() if for_export else queryset.with_listing_data()
        return ProgrammesInOrder(loaded, ids)

    def ids_in_order(self):
        """The matching programmes' ids in the list's order, from the facet index; None for an
        order only the database knows (ECTS, duration, a search's rank without a text index)."""
        self.form.is_valid()
        sort = self.form.cleaned_data.get("sort") or "title"
        ids = self._index_counts().in_title_order
        if sort == "-title":
            return ids[::-1]
        if sort == "relevance" and self._search_hits is not None:
            words = range(len(self._search_hits) // 2)
            hits = [(self._search_hits["title", n], self._search_hits["main", n]) for n in words]
            return self._index.by_relevance(ids, hits)
        return ids if sort == "title" else None

    def facets(self):
        """The facets with their options, each counted with the OTHER active filters applied.

        An option that would give nothing is left out unless it is chosen, so a choice never
        silently disappears from the form. A facet with many options shows only the chosen
        ones and either those matching the text typed to find one, or the most common ones.
        """
        summary = self.counts()
        return [self._facet(name, summary) for name in self.FACETS]

    def _facet(self, name, summary):
        def label(value):
            if name == "university" and value in summary.university_names:
                return summary.university_names[value]
            return self._label(name, value)

        facet = Facet(
            name=name,
            label=self.filters[name].label,
            errors=list(self.form.errors.get(name, [])),
            unstated=summary.unstated_by_facet.get(name, 0),
        )
        find = (self.data.get(facet.find_parameter) or "").replace("\x00", "")
        # Names (languages, universities, countries) in alphabetical order; choices in theirs.
        order = (
            None
            if name in ("language", "university", "country")
            else [value for value, _ in self.filters[name].extra["choices"]]
        )
        return fill_options(
            facet,
            summary.by_facet[name],
            self._chosen(name),
            label,
            find=find.strip()[:SEARCH_MAX_LENGTH],
            order=order,
            inferred=summary.inferred_by_facet.get(name),
        )

    def sorts_by_fact(self):
        """Whether the list is sorted by a fact that may be inferred or not stated (the form
        says how those sort)."""
        self.form.is_valid()
        return self.form.cleaned_data.get("sort") in SORTS_BY_FACT

    def _bounds(self, fact):
        """The valid (low, high) bounds of a range ("ects", "duration"), None when neither is
        set."""
        self.form.is_valid()
        data = self.form.cleaned_data
        low, high = data.get(f"{fact}_min"), data.get(f"{fact}_max")
        return None if low is None and high is None else (low, high)

    def ects_bound_active(self):
        """Whether a valid ECTS bound filters the list."""
        return self._bounds("ects") is not None

    def ects_unknown_count(self):
        """How many programmes an ECTS bound left out only because their ECTS is not stated."""
        return self.counts().ects_unknown if self.ects_bound_active() else 0

    def duration_unknown_count(self):
        """How many programmes a duration bound left out only because their duration is not
        stated."""
        return self.counts().duration_unknown if self._bounds("duration") else 0

    def count(self):
        """How many programmes the filters select."""
        return self.counts().total

    def _applied_pairs(self, skip=()):
        """(parameter, value) of every filter this list applied, except those in `skip`: what a
        count depends on, so it names the count in the cache."""
        self.form.is_valid()
        return tuple(
            (name, applied)
            for name in self.filters
            if name not in skip
            for applied in self._applied_values(name)
        )

    def applied_languages(self):
        """The teaching languages' codes the list filters by (valid ones only)."""
        return self._applied_values("language")

    def applied_fields(self):
        """The fields of study's codes the list filters by (valid ones only)."""
        return self._applied_values("field")

    def _applied_values(self, name):
        """The values of parameter `name` this list applied, as strings in their normal form
        (`language=EN` applied as `en`); bad values and empty fields are not among them."""
        value = self.form.cleaned_data.get(name)
        if name in ("ects_min", "ects_max", "duration_min", "duration_max", "tuition_max"):
            return [] if value is None else [str(value)]
        if name == "apply_by":
            return [] if value is None else [value.isoformat()]
        if name == "tuition_currency":
            return [value.upper()] if value else []
        if name == "q":
            return [value] if value else []
        if name == "status":
            # The default is never written, so `status=current` and no status are one list.
            return [value] if value and value != self.default_status else []
        return self._chosen(name)

    def applied_query(self, without=None, value=None):
        """The query string of exactly the filters this list applied, optionally `without`
        one parameter (or just that `value` of it).

        Links made from it (the CSV export, the chips) never carry a value the list ignored,
        and leave the sort out when it is the default for what remains, as the pushed address
        does.
        """
        self.form.is_valid()
        pairs = [
            (name, applied)
            for name in self.filters
            if name != "sort"
            for applied in self._applied_values(name)
            if not (name == without and value in (None, applied))
        ]
        searching = any(name == "q" for name, _ in pairs)
        sort = self.form.cleaned_data.get("sort")
        # Best match is the default while searching and meaningless without a search, so it
        # is never written; title order is written only where it isn't the default.
        if without != "sort" and sort and sort != "relevance" and (searching or sort != "title"):
            pairs.append(("sort", sort))
        return urlencode(pairs)

    @staticmethod
    def selection_only(params):
        """The parameters that choose programmes, without their order: for pages that keep
        their own (the change log and its feed are always newest first)."""
        params = params.copy()
        params.pop("sort", None)
        return params

    def chips(self):
        """The active filters, each with the query string of this list without it."""
        self.form.is_valid()
        data = self.form.cleaned_data
        chips = []
        if data.get("q"):
            label = gettext("Search: “%(text)s”") % {"text": data["q"]}
            in_quotes = pgettext("inside quotation marks", "Search: “%(text)s”") % {
                "text": data["q"]
            }
            chips.append(Chip(label, self.applied_query("q"), in_quotes))
        for name in self.FACETS:
            for value in self._chosen(name):
                label = f"{self.filters[name].label}: {self._label(name, value)}"
                chips.append(Chip(label, self.applied_query(name, value)))
        if data.get("ects_min") is not None:
            label = gettext("At least %(ects)s ECTS") % {"ects": data["ects_min"]}
            chips.append(Chip(label, self.applied_query("ects_min")))
        if data.get("ects_max") is not None:
            label = gettext("At most %(ects)s ECTS") % {"ects": data["ects_max"]}
            chips.append(Chip(label, self.applied_query("ects_max")))
        if data.get("duration_min") is not None:
            label = ngettext(
                "At least %(count)d semester", "At least %(count)d semesters", data["duration_min"]
            ) % {"count": data["duration_min"]}
            chips.append(Chip(label, self.applied_query("duration_min")))
        if data.get("duration_max") is not None:
            label = ngettext(
                "At most %(count)d semester", "At most %(count)d semesters", data["duration_max"]
            ) % {"count": data["duration_max"]}
            chips.append(Chip(label, self.applied_query("duration_max")))
        if self.chosen_status() != self.default_status:
            labels = {
                STATUS_CURRENT: gettext("Only programmes still admitting"),
                STATUS_RETIRED: gettext("Only retired programmes"),
                STATUS_ALL: gettext("Retired programmes shown"),
            }
            chips.append(Chip(labels[self.chosen_status()], self.applied_query("status")))
        if data.get("apply_by") is not None:
            day = formats.date_format(data["apply_by"], "DATE_FORMAT")
            label = gettext("Still open for applications on %(date)s") % {"date": day}
            chips.append(Chip(label, self.applied_query("apply_by")))
        if data.get("tuition_max") is not None and data.get("tuition_currency"):
            label = gettext("Tuition up to %(amount)s %(currency)s a year") % {
                "amount": formats.number_format(data["tuition_max"], use_l10n=True),
                "currency": data["tuition_currency"].upper(),
            }
            chips.append(Chip(label, self.applied_query("tuition_max")))
        return chips

    def problems(self):
        """Every field's error and notice messages, as (parameter, field label, message)."""
        self.form.is_valid()
        messages = [
            (name, text) for name, texts in self.form.errors.items() for text in texts
        ] + list(self.form.notices.items())
        return [
            (name, self.filters[name].label if name in self.filters else gettext("Filters"), text)
            for name, text in messages
        ]

    def is_plain_request(self):
        """Whether the address holds only what this list reads, each once and as it reads it:
        known parameters, a single-valued one once, a repeatable one's values distinct and not
        empty, and nothing refused or changed (no problems()).

        Only such a list is kept for other visitors (programs/web/page_cache.py): every other
        variant of an address, a junk `&zz=` included, is served but never kept, or each would
        be one more page in the cache.
        """
        self.form.is_valid()
        single = {name for name in self.filters if name not in self.FACETS}
        single |= {"page"} | {f"find_{name}" for name in self.FACETS}
        for name, values in self.data.lists():
            if name in single:
                if len(values) != 1:
                    return False
            elif name not in self.FACETS or "" in values or len(set(values)) != len(values):
                return False
        return not self.problems()

    def address_query(self):
        """This list's query string as it should be shared: no page, no empty fields, and no
        sort when it is the default one (so choosing a filter gives the shortest address)."""
        self.form.is_valid()
        default = "relevance" if self.form.cleaned_data.get("q") else "title"
        if self.data.get("sort") == default:
            return query_without(self.data, "sort")
        return query_without(self.data, "page")

    def shown_values(self):
        """The single-valued text parameters as typed, for showing them again in the form.

        NUL characters are removed (browsers would show them as junk) and the text is capped,
        so a hostile address can't blow up the page.
        """
        shown = {
            name: (self.data.get(name) or "").replace("\x00", "")[: SEARCH_MAX_LENGTH * 2]
            for name in (
                "q",
                "ects_min",
                "ects_max",
                "duration_min",
                "duration_max",
                "sort",
                "apply_by",
                "tuition_max",
            )
        } | {
            # A currency code is three letters: more is never worth showing back.
            "tuition_currency": (self.data.get("tuition_currency") or "").replace("\x00", "")[:10]
        }
        # A number field holds only a number (HTML forbids other values); other text, which only
        # an edited address can bring, is left out, and the field's message says what was wrong.
        for name in ("ects_min", "ects_max", "duration_min", "duration_max"):
            if not HTML_NUMBER.fullmatch(shown[name]):
                shown[name] = ""
        return shown

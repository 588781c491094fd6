"""The programme list's filters: ProgrammeFilter's field names are the public URL parameters.

Advisors paste these addresses into e-mails, so the names (`q`, `language`, `ects_min`, ...) are a
contract. Besides filtering, the filter set knows how to describe itself to the page: the facet
options with their counts, the active filters as removable chips, and how many programmes an ECTS
bound left out because their ECTS is not stated.
"""

from dataclasses import dataclass, field

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.http import QueryDict

from programs.models import (
    Background,
    Delivery,
    Language,
    Level,
    StartTerm,
    StudyMode,
    University,
)

# Longer search texts are cut to this length (and the page says so).
SEARCH_MAX_LENGTH = 200
# A sane upper bound for ECTS credits; bigger numbers are typing mistakes, not programmes.
ECTS_LIMIT = 1000

SORT_CHOICES = [
    ("relevance", "Best match"),
    ("title", "Title, A to Z"),
    ("-title", "Title, Z to A"),
    ("ects", "ECTS, fewest first"),
    ("-ects", "ECTS, most first"),
    ("duration", "Duration, shortest first"),
    ("-duration", "Duration, longest first"),
]

# English names for the countries a European catalog is likely to hold; any other code is shown
# as the code itself.
COUNTRY_NAMES = {
    "AT": "Austria",
    "BE": "Belgium",
    "BG": "Bulgaria",
    "CH": "Switzerland",
    "CY": "Cyprus",
    "CZ": "Czechia",
    "DE": "Germany",
    "DK": "Denmark",
    "EE": "Estonia",
    "ES": "Spain",
    "FI": "Finland",
    "FR": "France",
    "GB": "United Kingdom",
    "GR": "Greece",
    "HR": "Croatia",
    "HU": "Hungary",
    "IE": "Ireland",
    "IS": "Iceland",
    "IT": "Italy",
    "LI": "Liechtenstein",
    "LT": "Lithuania",
    "LU": "Luxembourg",
    "LV": "Latvia",
    "MT": "Malta",
    "NL": "Netherlands",
    "NO": "Norway",
    "PL": "Poland",
    "PT": "Portugal",
    "RO": "Romania",
    "SE": "Sweden",
    "SI": "Slovenia",
    "SK": "Slovakia",
}


def country_name(code):
    """The English name of a country code, or the code when we don't know the name."""
    return COUNTRY_NAMES.get(code, code)


def query_without(data, name, value=None):
    """`data` (a QueryDict) urlencoded without parameter `name` (or just that one value of it).

    Empty parameters, which a submitted form sends for every untouched field, and `page` (a
    changed filter starts again on page one) are dropped so shared addresses stay short.
    """
    query = QueryDict(mutable=True)
    for key, values in data.lists():
        if key == "page":
            continue
        kept = [v for v in values if v != "" and not (key == name and value in (None, v))]
        if kept:
            query.setlist(key, kept)
    return query.urlencode()


class IntegerFilter(django_filters.NumberFilter):
    """A number filter for whole numbers (django-filter's NumberFilter takes decimals)."""

    field_class = forms.IntegerField


class ProgrammeFilterForm(forms.Form):
    """The filter set's form: caps the search text and checks fields against each other."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Messages about input we could use after changing it, shown next to the field.
        self.notices = {}

    def clean_q(self):
        text = self.cleaned_data.get("q") or ""
        if len(text) > SEARCH_MAX_LENGTH:
            self.notices["q"] = (
                f"The search text was longer than {SEARCH_MAX_LENGTH} characters; "
                f"only its first {SEARCH_MAX_LENGTH} were searched for."
            )
            text = text[:SEARCH_MAX_LENGTH]
        return text

    def clean(self):
        data = super().clean()
        low, high = data.get("ects_min"), data.get("ects_max")
        if low is not None and high is not None and low > high:
            self.add_error("ects_max", "The maximum ECTS must not be below the minimum.")
        if "sort" not in self.errors:
            if data.get("sort") == "relevance" and not data.get("q"):
                self.add_error("sort", "Sorting by best match needs a search text.")
            elif not data.get("sort"):
                data["sort"] = "relevance" if data.get("q") else "title"
        return data


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    """One filter of the form with its options, for rendering (`multiple`: checkboxes)."""

    name: str
    label: str
    multiple: bool
    options: list = field(default_factory=list)
    errors: list = field(default_factory=list)


@dataclass
class Chip:
    """An active filter value and the query string of the same list without it."""

    label: str
    query: str


class ProgrammeFilter(django_filters.FilterSet):
    """Filters for the public programme list and its CSV export."""

    q = django_filters.CharFilter(method="filter_search", label="Search")
    language = django_filters.ModelMultipleChoiceFilter(
        queryset=Language.objects.all(),
        to_field_name="code",
        method="filter_language",
        label="Teaching language",
        error_messages={"invalid_choice": "“%(value)s” is not a teaching language we list."},
    )
    ects_min = IntegerFilter(
        field_name="ects",
        lookup_expr="gte",
        min_value=0,
        max_value=ECTS_LIMIT,
        label="ECTS from",
    )
    ects_max = IntegerFilter(
        field_name="ects",
        lookup_expr="lte",
        min_value=0,
        max_value=ECTS_LIMIT,
        label="ECTS to",
    )
    country = django_filters.CharFilter(
        method="filter_country",
        label="Country",
        validators=[
            RegexValidator(r"^[A-Za-z]{2}$", "Choose a country by its two-letter code, such as DE.")
        ],
    )
    university = django_filters.ModelMultipleChoiceFilter(
        queryset=University.objects.all(),
        to_field_name="slug",
        method="filter_university",
        label="University",
        error_messages={"invalid_choice": "“%(value)s” is not a university we list."},
    )
    level = django_filters.ChoiceFilter(
        field_name="level",
        lookup_expr="exact",
        choices=Level.choices,
        label="Level",
        error_messages={"invalid_choice": "Choose a level from the list."},
    )
    study_mode = django_filters.ChoiceFilter(
        field_name="study_mode",
        lookup_expr="exact",
        choices=StudyMode.choices,
        label="Study mode",
        error_messages={"invalid_choice": "Choose a study mode from the list."},
    )
    delivery = django_filters.ChoiceFilter(
        field_name="delivery",
        lookup_expr="exact",
        choices=Delivery.choices,
        label="Delivery",
        error_messages={"invalid_choice": "Choose a kind of delivery from the list."},
    )
    start = django_filters.ChoiceFilter(
        field_name="start_term",
        lookup_expr="exact",
        choices=StartTerm.choices,
        label="Start",
        error_messages={"invalid_choice": "Choose a start term from the list."},
    )
    background = django_filters.ChoiceFilter(
        method="filter_background",
        choices=Background.choices,
        label="Your background",
        error_messages={"invalid_choice": "Choose a background from the list."},
    )
    # Declared last so it orders the fully filtered (and, with `q`, ranked) queryset.
    sort = django_filters.ChoiceFilter(
        method="sort_results",
        choices=SORT_CHOICES,
        label="Sort",
        error_messages={"invalid_choice": "Choose a sort order from the list."},
    )

    class Meta:
        form = ProgrammeFilterForm
        fields = []  # Only the filters declared above: never every model field.

    # The facets shown with counts: (parameter, fields grouped by, multiple choice).
    FACETS = (
        ("language", ("languages__code", "languages__name"), True),
        ("country", ("offerings__university__country",), False),
        ("university", ("offerings__university__slug", "offerings__university__name"), True),
        ("level", ("level",), False),
        ("study_mode", ("study_mode",), False),
        ("delivery", ("delivery",), False),
        ("start", ("start_term",), False),
        ("background", ("tracks__background",), False),
    )

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_language(self, queryset, name, value):
        return queryset.taught_in([language.code for language in value]) if value else queryset

    def filter_country(self, queryset, name, value):
        return queryset.offered_in_country(value.upper())

    def filter_university(self, queryset, name, value):
        return queryset.offered_by([u.slug for u in value]) if value else queryset

    def filter_background(self, queryset, name, value):
        return queryset.for_background(value)

    def sort_results(self, queryset, name, value):
        return queryset.sorted_by(value)

    def filter_queryset(self, queryset):
        return self._apply(queryset)

    def _apply(self, queryset, skip=()):
        """Apply every valid filter except those named in `skip` (call after validation)."""
        for name, value in self.form.cleaned_data.items():
            if name not in skip:
                queryset = self.filters[name].filter(queryset, value)
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
        if name == "country":
            return [value.upper()]
        return [value]

    def _label(self, name, value):
        """How an option of a facet reads on the page (without its count)."""
        if name == "language":
            return next(
                lang.name for lang in self.form.cleaned_data["language"] if lang.code == value
            )
        if name == "university":
            return next(u.name for u in self.form.cleaned_data["university"] if u.slug == value)
        if name == "country":
            return country_name(value)
        return dict(self.filters[name].extra["choices"]).get(value, value)

    def facets(self):
        """The facets with their options, each counted with the OTHER active filters applied.

        One grouped query per facet. An option that would give nothing is left out unless it
        is chosen, so a choice never silently disappears from the form.
        """
        self.form.is_valid()
        facets = []
        for name, fields, multiple in self.FACETS:
            others = self._apply(self.queryset.all(), skip=(name, "sort"))
            chosen = self._chosen(name)
            facet = Facet(
                name=name,
                label=self.filters[name].label,
                multiple=multiple,
                errors=list(self.form.errors.get(name, [])),
            )
            for row in others.facet_counts(*fields):
                value = row[fields[0]]
                label = row[fields[1]] if len(fields) > 1 else self._label(name, value)
                facet.options.append(
                    FacetOption(value, label, row["programmes"], selected=value in chosen)
                )
            counted = {option.value for option in facet.options}
            for value in chosen:
                if value not in counted:
                    facet.options.append(FacetOption(value, self._label(name, value), 0, True))
            if name in ("language", "university", "country"):
                facet.options.sort(key=lambda option: option.label.casefold())
            else:
                order = [value for value, _ in self.filters[name].extra["choices"]]
                facet.options.sort(key=lambda option: order.index(option.value))
            facets.append(facet)
        return facets

    def ects_bound_active(self):
        """Whether a valid ECTS bound filters the list."""
        self.form.is_valid()
        data = self.form.cleaned_data
        return data.get("ects_min") is not None or data.get("ects_max") is not None

    def ects_unknown_count(self):
        """How many programmes an ECTS bound left out only because their ECTS is not stated."""
        if not self.ects_bound_active():
            return 0
        others = self._apply(self.queryset.all(), skip=("ects_min", "ects_max", "sort"))
        return others.filter(ects__isnull=True).count()

    def chips(self):
        """The active filters, each with the query string of this list without it."""
        self.form.is_valid()
        data = self.form.cleaned_data
        chips = []
        if data.get("q"):
            chips.append(Chip(f"Search: “{data['q']}”", query_without(self.data, "q")))
        for name, _, multiple in self.FACETS:
            for value in self._chosen(name):
                label = f"{self.filters[name].label}: {self._label(name, value)}"
                # A single-choice parameter goes whole (its raw value may differ in case).
                removed = value if multiple else None
                chips.append(Chip(label, query_without(self.data, name, removed)))
        if data.get("ects_min") is not None:
            label = f"At least {data['ects_min']} ECTS"
            chips.append(Chip(label, query_without(self.data, "ects_min")))
        if data.get("ects_max") is not None:
            label = f"At most {data['ects_max']} ECTS"
            chips.append(Chip(label, query_without(self.data, "ects_max")))
        return chips

    def problems(self):
        """Every field's error and notice messages, as (parameter, field label, message)."""
        self.form.is_valid()
        messages = [
            (name, text) for name, texts in self.form.errors.items() for text in texts
        ] + list(self.form.notices.items())
        return [
            (name, self.filters[name].label if name in self.filters else "Filters", text)
            for name, text in messages
        ]

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
        return {
            name: (self.data.get(name) or "").replace("\x00", "")[: SEARCH_MAX_LENGTH * 2]
            for name in ("q", "ects_min", "ects_max", "sort")
        }

"""Reusable queries over programmes: what the public sees and what each page needs loaded."""

from django.db import models
from django.db.models.functions import Coalesce, Greatest

from programs.core import names
from programs.core.consistency import ISO_639_1_CODES
from programs.core.search_words import query_words
from programs.core.second_factor import passed_second_factor
from programs.models import text_search

# The public sort keys (the `sort` parameter) and their ORDER BY; title and slug break ties.
SORT_ORDERS = {
    "title": ("title", "slug"),
    "-title": ("-title", "-slug"),
    "ects": (models.F("ects").asc(nulls_last=True), "title", "slug"),
    "-ects": (models.F("ects").desc(nulls_last=True), "title", "slug"),
    "duration": (models.F("duration_semesters").asc(nulls_last=True), "title", "slug"),
    "-duration": (models.F("duration_semesters").desc(nulls_last=True), "title", "slug"),
    "checked": (models.F("checked_on").asc(nulls_last=True), "title", "slug"),
    "-checked": (models.F("checked_on").desc(nulls_last=True), "title", "slug"),
    "relevance": (models.F("relevance").desc(), "title", "slug"),
}


class JSONRows(models.Aggregate):
    """The aggregated values as one JSON array: SQLite's json_group_array, PostgreSQL's
    jsonb_agg (which Django reads back as text, as it does every jsonb value)."""

    function = "JSON_GROUP_ARRAY"
    output_field = models.JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def shown_in_order():
    """A programme's short lists and the order they are shown in, on every page that reads them:
    {relation: ORDER BY}, from programs.models.parts. A programme page reads them all inside the
    programme's own query as JSON (one query instead of one each)."""
    # Imported here: models/programmes.py imports this module to build the managers.
    from programs.models import PROGRAMME_PARTS

    return {part.related_name: part.shown_order for part in PROGRAMME_PARTS if part.shown_order}


# What those JSON rows carry besides their own columns: relation -> {foreign key: its field}.
RELATED_NAMES_IN_JSON = {"admission_requirements": {"original_language": "name"}}


def in_shown_order(relation, prefix=""):
    """Prefetch a programme's `relation` in its shown order (`prefix`: the path to programmes)."""
    from programs.models import Programme

    model = Programme._meta.get_field(relation).related_model
    order = shown_in_order()[relation]
    return models.Prefetch(f"{prefix}{relation}", model.objects.order_by(*order))


def _rows_as_json(relation, related_names):
    """A subquery of the programme's `relation` rows as a JSON array of {attname: value}."""
    from programs.models import Programme

    model = Programme._meta.get_field(relation).related_model
    values = {field.attname: models.F(field.attname) for field in model._meta.concrete_fields}
    for foreign_key, name in related_names.items():
        values[f"{foreign_key}__{name}"] = models.F(f"{foreign_key}__{name}")
    rows = (
        model.objects.filter(programme=models.OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(rows=JSONRows(models.functions.JSONObject(**values)))
        .values("rows")
    )
    return models.Subquery(rows, output_field=models.JSONField())


class ProgrammesWithListsIterable(models.query.ModelIterable):
    """Programmes whose shown_in_order() lists came as JSON, each list turned back into its model
    instances and kept as if prefetched: `programme.careers.all()` asks nothing more."""

    def __iter__(self):
        for programme in super().__iter__():
            for relation, order in shown_in_order().items():
                related_names = RELATED_NAMES_IN_JSON.get(relation, {})
                rows = programme.__dict__.pop(f"{relation}_json") or []
                manager = getattr(programme, relation)
                instances = [
                    _instance(manager.model, row, related_names, self.queryset.db) for row in rows
                ]
                instances.sort(key=lambda item: tuple(_sortable(item, name) for name in order))
                cached = manager.get_queryset()
                cached._result_cache, cached._prefetch_done = instances, True
                programme.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = cached
            yield programme


def _instance(model, row, related_names, using):
    """A model instance from its JSON row (values converted as the database's would be), as
    read from the database `using`."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    instance = model(**{name: fields[name].to_python(row[name]) for name in fields})
    instance._state.adding, instance._state.db = False, using
    for foreign_key, name in related_names.items():
        code = getattr(instance, f"{foreign_key}_id")
        if code is not None:
            related = model._meta.get_field(foreign_key).related_model
            setattr(
                instance, foreign_key, related(pk=code, **{name: row[f"{foreign_key}__{name}"]})
            )
    return instance


def _sortable(instance, name):
    value = getattr(instance, name)
    return (value is None, value if value is not None else 0)


def offerings_with_universities(lookup="offerings"):
    """Prefetch a programme's offering universities, in display order, in one joined query."""
    from programs.models import ProgrammeUniversity

    offerings = ProgrammeUniversity.objects.select_related("university")
    return models.Prefetch(lookup, offerings.order_by("position", "university__name"))


def deadlines_and_fees(prefix=""):
    """Prefetch the application deadlines and tuition fees a card, a page and a CSV row show."""
    return [
        in_shown_order("application_deadlines", prefix),
        in_shown_order("tuition_fees", prefix),
    ]


def export_data(prefix=""):
    """Prefetch what an export row adds to a card's data (`prefix`: the path to programmes):
    the admission requirements, and how each fact is known, which every cell says."""
    return [in_shown_order("admission_requirements", prefix), f"{prefix}fact_sources"]


class ProgrammeQuerySet(models.QuerySet):
    def published(self):
        """Programmes visible to the public (drafts are only seen in the admin)."""
        return self.filter(published=True)

    def admitting(self):
        """Programmes still admitting students: not retired (a retired one keeps its page)."""
        return self.filter(retired=False)

    def with_listing_data(self):
        """Load what a programme card shows: its universities, teaching languages, deadlines and
        fees, and how each of its facts is known (an inferred one is marked on the card)."""

        # One query for the offerings with their universities joined, not one for each.
        return self.prefetch_related(
            offerings_with_universities(),
            "languages",
            "fact_sources",
            *deadlines_and_fees(),
        )

    def with_export_data(self):
        """Load what a CSV row holds: the card's data and the admission requirements."""
        return self.with_listing_data().prefetch_related(*export_data())

    def with_oeapi_data(self):
        """Load what an Open Education API Programme or its offerings hold: the universities,
        teaching languages, admission requirements, deadlines and fees, and how each fact is
        known (programs/display/oeapi/)."""
        from programs.models import Programme

        return self.prefetch_related(
            offerings_with_universities(),
            "languages",
            "fact_sources",
            in_shown_order("admission_requirements"),
            *deadlines_and_fees(),
            # A retired programme names its successor; asks nothing while none has one.
            models.Prefetch("successor", Programme.objects.only("pk", "uuid", "published")),
        )

    def search(self, text):
        """Programmes holding every word of `text` (as a word or a word's start) in their title,
        summary, description, degree, universities, cities, countries, modules or tracks.

        Annotates `relevance` (higher is better: title hits, then summary and names, then the
        rest). See programs/search/programme_documents.py; a text without any word finds nothing.
        """
        searched = query_words(text)
        if not searched:
            return self.none() if text.strip() else self
        return text_search.matching(self, searched).annotate(
            relevance=text_search.relevance(self, searched)
        )

    def open_for_applications_on(self, day):
        """Programmes with an application deadline on or after `day`: one can still apply then.

        Programmes whose deadlines are not stated are left out, as with every stated-only filter.
        """
        from programs.models import ApplicationDeadline

        open_then = ApplicationDeadline.objects.filter(deadline__gte=day)
        return self.filter(pk__in=open_then.values("programme_id"))

    def tuition_at_most(self, amount, currency):
        """Programmes with a yearly fee of at most `amount` in `currency` (ISO 4217).

        A fee per semester counts twice a year (two semesters make a year in the data's
        countries); a fee for the whole programme is not a yearly one and is not compared. Fees
        in other currencies are never converted: they don't match.
        """
        from programs.models import Tuition, TuitionPeriod

        yearly = models.Case(
            models.When(period=TuitionPeriod.SEMESTER, then=models.F("amount") * 2),
            models.When(period=TuitionPeriod.YEAR, then=models.F("amount")),
            default=None,
            output_field=models.DecimalField(max_digits=12, decimal_places=2),
        )
        fees = (
            Tuition.objects.filter(currency=currency.upper())
            .annotate(yearly=yearly)
            .filter(yearly__lte=amount)
        )
        return self.filter(pk__in=fees.values("programme_id"))

    def taught_in(self, codes):
        """Programmes taught in ANY of these languages (ISO 639-1 codes)."""
        taught = self.model.languages.through.objects.filter(language_id__in=codes)
        return self.filter(pk__in=taught.values("programme_id"))

    def at_stated_level(self, level):
        """Programmes at this level where the source states it (not where the catalog infers
        it): what an output that sends only stated levels may say they are."""
        from programs.models import FactSource, KeyFact

        inferred = FactSource.objects.filter(fact=KeyFact.LEVEL, inferred_because__gt="")
        return self.filter(level=level).exclude(pk__in=inferred.values("programme_id"))

    def offered_by(self, slugs):
        """Programmes offered (alone or jointly) by ANY of these universities (slugs)."""
        offered = self.model.universities.through.objects.filter(university__slug__in=slugs)
        return self.filter(pk__in=offered.values("programme_id"))

    def offered_in_countries(self, countries):
        """Programmes with an offering university in ANY of these countries (ISO 3166-1
        alpha-2 codes)."""
        offered = self.model.universities.through.objects.filter(university__country__in=countries)
        return self.filter(pk__in=offered.values("programme_id"))

    def for_backgrounds(self, backgrounds):
        """Programmes with a track or course path meant for students of ANY of these
        backgrounds."""
        from programs.models import Track

        tracks = Track.objects.filter(background__in=backgrounds)
        return self.filter(pk__in=tracks.values("programme_id"))

    def sorted_by(self, key):
        """Order by a public sort key (see SORT_ORDERS); unknown facts sort last both ways."""
        if key == "relevance" and "relevance" not in self.query.annotations:
            key = "title"
        return self.order_by(*SORT_ORDERS.get(key, SORT_ORDERS["title"]))

    def not_checked_since(self, day):
        """Programmes nobody has checked against their source on or after `day` (or ever)."""
        return self.filter(models.Q(checked_on__isnull=True) | models.Q(checked_on__lt=day))

    def editable_by(self, user):
        """Programmes this user may edit in the admin (and preview while they are drafts).

        Superusers may edit every programme; admissions staff those offered by any university
        they belong to (a joint programme by the staff of each partner); anyone else none.
        Filtering through a subquery of ids keeps each programme once without DISTINCT, so the
        result can still be ordered, annotated and bulk-deleted like any other queryset.
        """
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return self.none()
        if user.is_superuser:
            return self.all()
        offered = self.model.universities.through.objects.filter(university__staff=user)
        return self.filter(pk__in=offered.values("programme_id"))

    def deletable_by(self, user):
        """Programmes this user may delete: like editable_by, but a joint programme only when
        the user belongs to every partner, as deleting it takes it from all of them."""
        editable = self.editable_by(user)
        if user.is_superuser:
            return editable
        offered_by_others = self.model.universities.through.objects.exclude(university__staff=user)
        return editable.exclude(pk__in=offered_by_others.values("programme_id"))

    def visible_to(self, user):
        """Published programmes, plus the drafts this user may edit (so they can preview them),
        once signed in as the admin asks: a password alone, where the admin also wants a code,
        shows a draft no more than it opens the admin."""
        if not (user.is_authenticated and user.is_staff and passed_second_factor(user)):
            return self.published()
        editable = self.model.objects.editable_by(user).values("pk")
        return self.filter(models.Q(published=True) | models.Q(pk__in=editable))

    def with_detail_data(self):
        """Load everything the detail page and its JSON-LD show, each relation in display order."""
        # Imported here: models/programmes.py imports this module to build the managers.
        from programs.models import Language, Module, Track

        # The successor is joined: a retired programme's notice names and links it.
        with_lists = self.select_related("checked_by", "successor").annotate(
            **{
                f"{relation}_json": _rows_as_json(relation, RELATED_NAMES_IN_JSON.get(relation, {}))
                for relation in shown_in_order()
            }
        )
        with_lists._iterable_class = ProgrammesWithListsIterable
        return with_lists.prefetch_related(
            offerings_with_universities(),
            models.Prefetch("languages", Language.objects.order_by("code")),
            models.Prefetch("tracks", Track.objects.order_by("position", "name")),
            models.Prefetch(
                "modules",
                Module.objects.select_related("track").order_by("position", "title"),
            ),
        )

    def with_latest_public_facts(self):
        """Annotate `latest_public_facts`: the public facts after the programme's last public
        change (None when the change log has none), what its editions' links compare."""
        from programs.models import PublicChange

        latest = PublicChange.objects.filter(programme=models.OuterRef("pk")).order_by(
            "-changed_at", "-pk"
        )
        return self.annotate(
            latest_public_facts=models.Subquery(
                latest.values("snapshot")[:1], output_field=PublicChange._meta.get_field("snapshot")
            )
        )

    def with_last_public_change(self):
        """Annotate `last_public_change`: when the public last saw the programme change."""
        from programs.models import PublicChange

        latest = PublicChange.objects.filter(programme=models.OuterRef("pk")).order_by(
            "-changed_at"
        )
        return self.annotate(last_public_change=models.Subquery(latest.values("changed_at")[:1]))

    def changed_since(self, moment):
        """Published programmes changed at or after `moment`, in id order, annotated
        `last_changed`: the later of their row's last save and their last public change (a
        part an importer rewrote in bulk moves only the latter)."""
        from programs.models import PublicChange

        latest = PublicChange.objects.filter(programme=models.OuterRef("pk")).order_by(
            "-changed_at"
        )
        recent = PublicChange.objects.filter(changed_at__gte=moment).values("programme_id")
        last_public_change = models.Subquery(latest.values("changed_at")[:1])
        return (
            self.published()
            .filter(models.Q(updated_at__gte=moment) | models.Q(pk__in=recent))
            .annotate(
                last_changed=Greatest("updated_at", Coalesce(last_public_change, "updated_at"))
            )
            .order_by("pk")
        )

    def with_compare_data(self):
        """Load what the compare table shows: the key facts (universities, languages) and how
        each is known."""
        from programs.models import Language

        return self.prefetch_related(
            offerings_with_universities(),
            models.Prefetch("languages", Language.objects.order_by("code")),
            "fact_sources",
            in_shown_order("admission_requirements"),
            *deadlines_and_fees(),
        )

    def compare_candidates(self, text, chosen, limit):
        """At most `limit` programmes the compare chooser offers to add, leaving out the
        `chosen` slugs: those matching `text`, those with every word in the title first, or
        without a text the first by title."""
        candidates = self.exclude(slug__in=chosen).only("slug", "title").order_by("title", "slug")
        if not text.strip():
            return list(candidates[:limit])
        searched = query_words(text)
        if not searched:
            return []
        in_title, anywhere = text_search.title_and_anywhere(searched, self.db)
        if in_title is None:  # a database without a text index ranks in SQL, as the list does
            return list(candidates.search(text).sorted_by("relevance")[:limit])
        # Those whose title holds every word, then the other matches, each by title. In one
        # query, each part stopping after the rows it may need, however many programmes match:
        # the first `limit` title matches, and the first 2 * `limit` matches, which hold at
        # least `limit` others unless fewer exist (they include fewer than `limit` title
        # matches whenever the first part leaves room for them).
        best_sql, best_params = candidates.filter(pk__in=in_title)[:limit].query.sql_with_params()
        all_sql, all_params = candidates.filter(pk__in=anywhere)[
            : 2 * limit
        ].query.sql_with_params()
        found = self.raw(
            f"SELECT 0 AS tier, best.* FROM ({best_sql}) best "
            f"UNION ALL SELECT 1 AS tier, other.* FROM ({all_sql}) other "
            "ORDER BY tier, title, slug",
            best_params + all_params,
        )
        return list({programme.pk: programme for programme in found}.values())[:limit]


class UniversityQuerySet(models.QuerySet):
    def public(self):
        """Universities offering at least one published programme (others aren't shown yet)."""
        return self.filter(_offers_a_published_programme())

    def visible_to_staff(self, user):
        """What a staff member may see in the admin: the public universities and their own.

        A university that offers nothing published yet is not public, so only its own staff
        and superusers see it. Staff attach only their own universities to programmes, so they
        never need to pick another one that isn't public.
        """
        if user.is_superuser:
            return self
        own = self.model.staff.through.objects.filter(university=models.OuterRef("pk"), user=user)
        return self.filter(_offers_a_published_programme() | models.Exists(own))

    def named(self, words):
        """Universities whose name or short name holds `words`, whatever their case."""
        return self.filter(models.Q(name__icontains=words) | models.Q(short_name__icontains=words))

    def country_counts(self):
        """{country code: how many of these universities are in it}, in one grouped query."""
        return dict(self.order_by().values_list("country").annotate(models.Count("pk")))

    def published_programme_counts(self):
        """{university id: how many published programmes it offers} for these universities, in
        one grouped query that reads only their offerings (for a page of them: not the whole
        catalog's, and not for the rows a page skips)."""
        from programs.models import ProgrammeUniversity

        offerings = ProgrammeUniversity.objects.filter(
            university__in=self.values("pk"), programme__published=True
        )
        return dict(offerings.order_by().values_list("university_id").annotate(models.Count("pk")))

    def with_last_public_change(self):
        """Annotate `last_public_change`: the latest public change of its published programmes."""
        from programs.models import PublicChange

        latest = PublicChange.objects.filter(
            programme__published=True, programme__offerings__university=models.OuterRef("pk")
        ).order_by("-changed_at")
        return self.annotate(last_public_change=models.Subquery(latest.values("changed_at")[:1]))

    def with_published_programmes(self):
        """Load each university's published programmes (with its role in each), by title, with
        what their key facts need (programs/display/facts.py): all their universities, languages,
        deadlines and fees, and how each fact is known, so the page marks what is inferred."""
        from programs.models import ProgrammeUniversity

        programmes = "published_offerings__programme__"
        return self.prefetch_related(
            models.Prefetch(
                "offerings",
                ProgrammeUniversity.objects.filter(programme__published=True)
                .select_related("programme")
                .order_by("programme__title", "programme__pk"),
                to_attr="published_offerings",
            ),
            offerings_with_universities(f"{programmes}offerings"),
            f"{programmes}languages",
            f"{programmes}fact_sources",
            *deadlines_and_fees(programmes),
        )


class ModuleQuerySet(models.QuerySet):
    def published(self):
        """Modules of published programmes."""
        return self.filter(programme__published=True)

    def search(self, q):
        """Modules holding every word of `q` (as a word or a word's start; words under three
        letters whole) in their title, description or track's name, ignoring case and accents;
        each word may be found in a different one. See programs/search/module_documents.py."""
        return text_search.matching_modules(self, q)

    def with_programme_data(self):
        """Load each module's programme, track and the programme's universities, and how the
        programme's title and universities are known (an inferred one is marked)."""
        return self.select_related("programme", "track").prefetch_related(
            offerings_with_universities("programme__offerings"), "programme__fact_sources"
        )


class PublicChangeQuerySet(models.QuerySet):
    def public(self):
        """Changes of programmes the public can see now (a draft's log is hidden with it)."""
        return self.filter(programme__published=True)

    def of_programmes(self, programmes):
        """Changes of these programmes (a queryset, used as a subquery)."""
        return self.filter(programme__in=programmes.order_by().values("pk"))

    def for_display(self):
        """Newest first, with each change's programme; without the stored snapshots."""
        return self.select_related("programme").defer("snapshot").order_by("-changed_at", "-pk")


def _offers_a_published_programme():
    """A condition on universities: they offer at least one published programme."""
    from programs.models import ProgrammeUniversity

    return models.Exists(
        ProgrammeUniversity.objects.filter(
            university=models.OuterRef("pk"), programme__published=True
        )
    )


class LanguageQuerySet(models.QuerySet):
    def in_reading_order(self, language=None):
        """By their names in `language` (the page's by default), as a reader of it sorts them;
        codes outside ISO 639-1 last, by name."""
        codes = sorted(
            ISO_639_1_CODES,
            key=lambda code: names.sort_key(names.language_name(code, language), language),
        )
        position = models.Case(
            *(models.When(code=code, then=models.Value(index)) for index, code in enumerate(codes)),
            default=models.Value(len(codes)),
            output_field=models.IntegerField(),
        )
        return self.order_by(position, "name")

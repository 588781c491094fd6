"""A programme's key facts in display order, as the detail page and the compare table show them.

Each fact carries its text, or None when the source does not state it, so every page renders an
unknown fact the same way ("not stated") and the compare table can tell which rows differ. A
stated fact also carries how it is known (its FactSource): the source's words, the reason it was
inferred, or neither when nobody recorded it.
"""

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import (
    get_language,
    gettext_lazy,
    gettext_noop,
    ngettext,
    pgettext_lazy,
)
from django.utils.translation import gettext as _

from programs.core import names, reasons
from programs.core.fields_of_study import field_label
from programs.core.quotes import QUOTE_SEPARATOR, split_quote
from programs.models import (
    TEXT_LANGUAGE,
    ApplicantGroup,
    CareerKind,
    KeyFact,
    Provenance,
    UniversityRole,
)


@dataclass(frozen=True)
class UniversityLink:
    """A university offering the programme, with its role when the source states one."""

    name: str
    url: str
    role: str | None
    # A role that says whether the degree is joint ("offers the programme alone") is as known as
    # the joint-degree fact itself: inferred when that is.
    role_inferred: bool = False


@dataclass(frozen=True)
class Fact:
    """One labelled fact; `text` is None when the source does not state it."""

    key: str
    label: str
    text: str | None
    universities: tuple[UniversityLink, ...] = ()
    # What the compare table compares, when the text carries more than the fact itself.
    compare_as: object = None
    # How the fact is known (a FactSource), or None when not recorded.
    source: object = None
    # A joint degree whose source names only one of its partners: the others are not stated.
    partner_not_stated: bool = False
    # The programme's own words (a degree's name, a faculty), shown as published, untranslated.
    source_text: bool = False
    # A list of texts (admission requirements), shown as a list; `text` joins them.
    items: tuple[str, ...] = ()
    # An address the value links to (the official page).
    url: str | None = None
    # The programme list holding every programme with this value (a field of study's
    # programmes), which the value links to.
    browse_url: str | None = None
    # Whether the page shows how the fact is known (not for the catalog's own record, such as
    # the address a text was copied from).
    show_provenance: bool = True

    @property
    def comparable(self):
        """The value two programmes must share for this fact to count as the same: a stated
        value and the same value inferred are not the same fact."""
        value = self.text if self.compare_as is None else self.compare_as
        return (value, self.provenance)

    @property
    def provenance(self):
        """How the fact is known, the one answer every output gives: stated, inferred (its
        source gives a reason), or not stated."""
        if not self.stated:
            return Provenance.NOT_STATED
        return Provenance.INFERRED if self.inferred_because else Provenance.STATED

    @property
    def inferred(self):
        """Whether the catalog infers this fact (its reason says why)."""
        return self.provenance == Provenance.INFERRED

    @property
    def reason(self):
        """The reason for the inference in the page's language, as far as it is translated."""
        return reasons.in_language(self.inferred_because)[0]

    @property
    def marked_text(self):
        """The text for an output with no room for a reason (a title, a CSV cell): "Austria
        (inferred)" when inferred, None when not stated."""
        return with_inferred_mark(self.text) if self.inferred else self.text

    @property
    def stated(self):
        """Whether the source states this fact."""
        return self.text is not None

    @property
    def inferred_because(self):
        """Why the catalog infers this fact, when it does."""
        return self.source.inferred_because if self.stated and self.source else None

    @property
    def source_quote(self):
        """The source's words stating this fact, when recorded."""
        return self.source.source_quote if self.stated and self.source else None

    def quote_passages(self):
        """The quote's passages, as Sourced.quote_passages()."""
        return split_quote(self.source_quote)


@dataclass(frozen=True)
class DerivedSource:
    """How a fact made from other rows is known: their quotes joined, or why it is inferred.

    Same attributes as a FactSource, so pages show it the same way."""

    source_quote: str | None = None
    inferred_because: str | None = None


def with_inferred_mark(text):
    """`text` marked as inferred, for outputs with no room for the reason: "Austria (inferred)"."""
    return _("%(value)s (inferred)") % {"value": text}


def _yes_no(value):
    return None if value is None else (_("Yes") if value else _("No"))


def duration_text(programme, html=False):
    """The standard period in semesters, with the source's own wording when it says more.

    `html`: safe HTML, the source's (English) words marked `lang` on a page in another language,
    for pages; plain text otherwise (the change log's snapshot, exports)."""
    semesters = programme.duration_semesters
    stated = programme.duration_as_stated

    def sentence(template, source_words, **values):
        """`template` % `values`, the value named `source_words` being the source's words."""
        if not html:
            return template % values
        values = {key: conditional_escape(value) for key, value in values.items()}
        if get_language() != TEXT_LANGUAGE:
            values[source_words] = format_html(
                '<span lang="{}">{}</span>', TEXT_LANGUAGE, values[source_words]
            )
        # Safe: the template and every value are escaped above.
        return mark_safe(conditional_escape(template) % values)

    if semesters is None:
        if not stated:
            return None
        return sentence(_("%(duration)s (as stated by the source)"), "duration", duration=stated)
    counted = ngettext("%(count)d semester", "%(count)d semesters", semesters) % {
        "count": semesters
    }
    # The source's words are English; "4 semesters" says the same as "4 semesters" only there.
    english = f"{semesters} semester" + ("" if semesters == 1 else "s")
    if stated and stated.strip().lower() != english:
        return sentence(
            _("%(duration)s (the source says “%(stated)s”)"),
            "stated",
            duration=counted,
            stated=stated,
        )
    return counted


def _role_in_sentence(label):
    """A role's label as it reads inside a sentence: "KTH (offers the programme alone)".

    German keeps its capitals: its nouns are always written so.
    """
    return label if get_language() == "de" else label[:1].lower() + label[1:]


# The roles that answer whether the degree is awarded jointly.
_JOINT_DEGREE_ROLES = {UniversityRole.SOLE, UniversityRole.JOINT}


def _universities(programme, sources):
    # offerings are prefetched in display order by the page's queryset
    joint_degree = sources.get(KeyFact.JOINT_DEGREE)
    joint_degree_inferred = joint_degree is None or bool(joint_degree.inferred_because)
    return tuple(
        UniversityLink(
            name=offering.university.name,
            url=offering.university.get_absolute_url(),
            role=_role_in_sentence(offering.get_role_display()) if offering.role else None,
            role_inferred=offering.role in _JOINT_DEGREE_ROLES and joint_degree_inferred,
        )
        for offering in programme.offerings.all()
    )


def key_fact_values(programme):
    """{key fact: its stored value, or None when not stated}, to check each has a source."""
    return {
        KeyFact.DEGREE: programme.degree,
        KeyFact.LEVEL: programme.level,
        KeyFact.FIELD_OF_STUDY: programme.field_of_study,
        KeyFact.UNIVERSITIES: [o.university_id for o in programme.offerings.all()] or None,
        KeyFact.JOINT_DEGREE: programme.is_joint_degree,
        KeyFact.FACULTY: programme.faculty,
        KeyFact.CAMPUS: programme.campus,
        KeyFact.CITY: programme.city,
        KeyFact.ECTS: programme.ects,
        KeyFact.DURATION: programme.duration_semesters or programme.duration_as_stated,
        KeyFact.LANGUAGES: [language.code for language in programme.languages.all()] or None,
        KeyFact.START_TERM: programme.start_term,
        KeyFact.STUDY_MODE: programme.study_mode,
        KeyFact.DELIVERY: programme.delivery,
        KeyFact.TUITION_TYPE: programme.tuition_type,
        KeyFact.APPROVAL_STATUS: programme.approval_status,
    }


def _details(*parts):
    return ", ".join(str(part) for part in parts if part)


def applicant_group_text(row):
    """Whom a deadline or fee row applies to, when the source tells applicants apart ("EU/EEA
    applicants"); "" for all applicants, which goes unsaid."""
    return row.get_applicant_group_display() if row.applicant_group != ApplicantGroup.ALL else ""


def intake_text(row):
    """The intake a deadline is for, in words ("Winter semester 2027 intake"), or "" when the
    source names none."""
    if not (row.intake or row.intake_year):
        return ""
    term = _details(row.get_intake_display() if row.intake else "", row.intake_year)
    return _("%(intake)s intake") % {"intake": term.replace(", ", " ")}


def deadline_texts(programme):
    """Each application deadline in words: "15 January 2027 (Winter semester 2027 intake,
    Non-EU/EEA applicants)" (needs `application_deadlines` prefetched)."""
    texts = []
    for row in programme.application_deadlines.all():
        details = _details(intake_text(row), applicant_group_text(row))
        day = formats.date_format(row.deadline, "DATE_FORMAT")
        texts.append(f"{day} ({details})" if details else day)
    return texts


def tuition_texts(programme):
    """Each tuition fee in words, in its own currency (never converted): "1,500 EUR per
    semester (Non-EU/EEA applicants)" (needs `tuition_fees` prefetched)."""
    texts = []
    for row in programme.tuition_fees.all():
        places = 0 if row.amount == row.amount.to_integral_value() else 2
        amount = formats.number_format(row.amount, places, use_l10n=True, force_grouping=True)
        text = f"{amount} {row.currency} {row.get_period_display()}"
        group = applicant_group_text(row)
        texts.append(f"{text} ({group})" if group else text)
    return texts


def _rows_source(rows):
    """How a fact made of part rows is known: their quotes and reasons, together."""
    quotes = [row.source_quote for row in rows if row.source_quote]
    reasons = [row.inferred_because for row in rows if row.inferred_because]
    return DerivedSource(
        source_quote=f"\n{QUOTE_SEPARATOR}\n".join(quotes) or None,
        # A line each: the page translates a reason line by line (programs/core/reasons.py).
        inferred_because="\n".join(reasons) or None,
    )


def fact_sources(programme):
    """{key fact: FactSource} of a programme (needs `fact_sources` prefetched)."""
    return {source.fact: source for source in programme.fact_sources.all()}


def is_stated(sources, fact):
    """Whether the source states `fact` in its own words (quoted, nothing inferred)."""
    source = sources.get(fact)
    return source is not None and source.is_stated


def key_facts(programme):
    """The programme's key facts, in the order the detail page and the compare table list them.

    Needs the programme's offerings (with universities), languages and fact sources loaded, as
    `with_detail_data()` and `with_compare_data()` do.
    """
    sources = fact_sources(programme)
    facts = _key_facts(programme, sources)
    return [replace(fact, source=sources.get(fact.key, fact.source)) for fact in facts]


def title_fact(programme):
    """The programme's title as a fact: a source whose text never names the programme has it
    inferred (from the page's address, say), and every output showing the title says so."""
    return Fact(
        "title", _("Title"), programme.title, source=fact_sources(programme).get(KeyFact.TITLE)
    )


# Why a country is shown: it is always the catalog's inference from where the offering
# universities are, and the universities' records say where that is from. Not "the text names no
# country": KTH's speaks of "the healthcare system in Stockholm and Sweden", just not as where the
# programme is.
COUNTRY_REASON = gettext_noop("The country is where the offering university is.")
LOCATION_NOT_RECORDED = gettext_noop(
    "Where the catalog has the university's country from is not recorded."
)


def _country_reason(universities):
    lines = [COUNTRY_REASON]
    for university in universities:
        lines.append(university.location_source or LOCATION_NOT_RECORDED)
    return "\n".join(dict.fromkeys(lines))


def _offering_facts(programme, sources):
    """Who offers the programme: its universities, their countries, and whether they award the
    degree together."""
    universities = _universities(programme, sources)
    offering_universities = [offering.university for offering in programme.offerings.all()]
    countries = list(dict.fromkeys(university.country for university in offering_universities))
    partner_not_stated = bool(programme.is_joint_degree) and len(universities) == 1
    offered_by = "; ".join(f"{u.name} ({u.role})" if u.role else u.name for u in universities)
    if offered_by and partner_not_stated:
        offered_by += "; " + _("joint-degree partner not stated")
    return [
        Fact(
            "universities",
            # One label for one or several universities, so compare rows line up; the joint
            # degree fact says whether they award it together.
            _("Offered by"),
            # The text makes rows comparable; the page renders the links instead.
            offered_by or None,
            universities,
            partner_not_stated=partner_not_stated,
        ),
        Fact(
            "country",
            _("Country"),
            ", ".join(names.country_name(code) for code in countries) or None,
            source=DerivedSource(inferred_because=_country_reason(offering_universities)),
        ),
        Fact(
            "joint_degree",
            _("Joint degree"),
            # A "Yes" beside one named university reads as a mistake without the reason.
            _("Yes, with partners the source does not name")
            if partner_not_stated
            else _yes_no(programme.is_joint_degree),
            compare_as=programme.is_joint_degree,
        ),
    ]


def _teaching_languages(programme):
    """The teaching languages' names, as one value ("English, german"), or None."""
    # By name in the page's language, as the list has them (the prefetch may order by code,
    # which the JSON-LD uses).
    languages = sorted(
        (
            names.language_name(language.code, default=language.name, in_sentence=True)
            for language in programme.languages.all()
        ),
        key=names.sort_key,
    )
    # A list of names: the first starts the value with a capital, the others as in a sentence.
    languages = [name[:1].upper() + name[1:] for name in languages[:1]] + languages[1:]
    return ", ".join(languages) or None


def _field_of_study_fact(programme):
    """The programme's ISCED-F field ("Health (091)"), linking to the list of its field."""
    code = programme.field_of_study
    return Fact(
        "field_of_study",
        _("Field of study"),
        field_label(code),
        compare_as=code,
        browse_url=f"{reverse('programs:programme-list')}?{urlencode({'field': code})}"
        if code
        else None,
    )


def _key_facts(programme, sources):
    """The key facts in the order the page and the comparison show them.

    Longer than most functions on purpose: it is one list, a fact an entry, read top to bottom
    as the page reads; splitting it would only scatter that order over several places.
    """
    ects = programme.ects
    return [
        Fact("degree", _("Degree awarded"), programme.degree, source_text=True),
        Fact("level", _("Level"), programme.get_level_display() if programme.level else None),
        _field_of_study_fact(programme),
        *_offering_facts(programme, sources),
        Fact("faculty", _("Faculty or school"), programme.faculty, source_text=True),
        Fact("campus", _("Campus"), programme.campus, source_text=True),
        Fact("city", _("City"), programme.city, source_text=True),
        Fact(
            "ects",
            _("ECTS credits"),
            None if ects is None else _("%(ects)s ECTS") % {"ects": formats.localize(ects)},
            compare_as=ects,
        ),
        Fact(
            "duration",
            _("Standard period of study"),
            duration_text(programme, html=True),
            # "4 semesters" and "two years" (4 semesters) are the same period in other words.
            compare_as=programme.duration_semesters,
        ),
        Fact("languages", _("Teaching languages"), _teaching_languages(programme)),
        Fact(
            "start_term",
            _("Start of studies"),
            programme.get_start_term_display() if programme.start_term else None,
        ),
        Fact(
            "study_mode",
            _("Study mode"),
            programme.get_study_mode_display() if programme.study_mode else None,
        ),
        Fact(
            "delivery",
            _("Delivery"),
            programme.get_delivery_display() if programme.delivery else None,
        ),
        Fact("tuition_type", _("Kind of course"), programme.tuition_type, source_text=True),
        Fact(
            "tuition_fees",
            _("Tuition fees"),
            "; ".join(tuition_texts(programme)) or None,
            items=tuple(tuition_texts(programme)),
            source=_rows_source(programme.tuition_fees.all()),
        ),
        Fact(
            "application_deadlines",
            _("Application deadlines"),
            "; ".join(deadline_texts(programme)) or None,
            items=tuple(deadline_texts(programme)),
            source=_rows_source(programme.application_deadlines.all()),
        ),
        Fact(
            "approval_status",
            _("Approval status"),
            programme.approval_status,
            source_text=True,
        ),
    ]


@dataclass(frozen=True)
class ProgrammeCard:
    """A programme in brief, as a card in the list, a shortlist entry or a page's <title> shows
    it: its title, who offers it and a few of its key facts, each still carrying how it is known
    (so a card can mark an inference as the detail page does)."""

    title: Fact
    # The offering universities (names only, no roles): `text` joins their names with ", ".
    offered_by: Fact
    facts: tuple[Fact, ...] = ()


# The key facts a card in the list shows, in its order, and those of a shortlist entry.
LIST_CARD_FACTS = (
    # First, on a line of its own (site.css): what the programme is about.
    "field_of_study",
    "degree",
    "ects",
    "duration",
    "languages",
    "study_mode",
    "tuition_fees",
    "application_deadlines",
    "delivery",
    "approval_status",
)
SHORTLIST_CARD_FACTS = ("ects", "languages", "duration", "country", "start_term")
# A card has little room: a fact that is seldom stated at all is shown only when it is (a
# programme still awaiting approval says so; the others need no "approval status: not stated").
# Few sources state fees and deadlines: two "not stated" lines would take two of a card's
# facts from those a student compares by. The programme's page still says "not stated".
_CARD_ONLY_WHEN_STATED = {"approval_status", "tuition_fees", "application_deadlines"}
# The shorter labels a card gives the key facts.
_CARD_LABELS = {
    "degree": gettext_lazy("Degree"),
    "ects": gettext_lazy("ECTS"),
    "duration": gettext_lazy("Duration"),
    "languages": gettext_lazy("Languages"),
    "start_term": pgettext_lazy("start of studies", "Start"),
}


def _on_card(fact):
    fact = replace(fact, label=str(_CARD_LABELS.get(fact.key, fact.label)))
    if fact.key == "ects" and fact.stated:
        # The card's label says "ECTS" already: the number alone ("90"), not "90 ECTS".
        fact = replace(fact, text=formats.localize(fact.compare_as))
    return fact


def offered_by_fact(programme):
    """Who offers the programme, names only (`text` joins them with ", "; `universities` holds
    them with their roles), with how that is known: FH Salzburg's text never names it (needs
    the offerings with their universities and the fact sources loaded)."""
    sources = fact_sources(programme)
    universities = _offering_facts(programme, sources)[0]
    names = ", ".join(university.name for university in universities.universities)
    return replace(universities, text=names or None, source=sources.get(KeyFact.UNIVERSITIES))


def programme_card(programme, keys=LIST_CARD_FACTS):
    """The programme in brief, with the key facts named by `keys` (in that order), from
    key_facts(): what they need must be loaded, as `with_listing_data()` does (without `keys`,
    only the offerings with their universities and the fact sources)."""
    facts = {fact.key: fact for fact in key_facts(programme)} if keys else {}
    return ProgrammeCard(
        title=title_fact(programme),
        offered_by=offered_by_fact(programme),
        facts=tuple(
            _on_card(facts[key])
            for key in keys
            if facts[key].stated or key not in _CARD_ONLY_WHEN_STATED
        ),
    )


@dataclass(frozen=True)
class ComparisonRow:
    """One fact across the compared programmes; `differs` when they don't all state the same."""

    key: str
    label: str
    facts: tuple[Fact, ...]

    @property
    def differs(self):
        """Whether the programmes' values differ ("not stated" counts as a value of its own)."""
        return len({fact.comparable for fact in self.facts}) > 1


def _admission_fact(programme):
    """The admission requirements as one fact (needs `admission_requirements` prefetched)."""
    requirements = list(programme.admission_requirements.all())
    items = tuple(requirement.text for requirement in requirements)
    return Fact(
        "admission",
        _("Admission requirements"),
        "; ".join(items) or None,
        items=items,
        source=_rows_source(requirements),
        source_text=True,
    )


def _official_page_fact(programme):
    return Fact(
        "official_page",
        _("Official page"),
        # The link's text names the programme, for screen readers moving through the row.
        programme.title if programme.source_url else None,
        url=programme.source_url or None,
        compare_as=programme.source_url or None,
        show_provenance=False,
    )


def compared_facts(programme):
    """The key facts and what else a comparison needs: the admission requirements and the
    official page (needs `with_compare_data()`)."""
    return [*key_facts(programme), _admission_fact(programme), _official_page_fact(programme)]


def comparison_rows(programmes):
    """The facts of `programmes` as rows, one per fact, in the detail page's order."""
    if not programmes:
        return []
    columns = [compared_facts(programme) for programme in programmes]
    return [
        ComparisonRow(key=facts[0].key, label=facts[0].label, facts=tuple(facts))
        for facts in zip(*columns, strict=True)
    ]


@dataclass(frozen=True)
class CareerGroup:
    """The careers of one kind (roles, sectors, fields, further study)."""

    label: str
    careers: tuple


_CAREER_HEADINGS = {
    CareerKind.ROLE: gettext_lazy("Roles"),
    CareerKind.SECTOR: gettext_lazy("Sectors and employers"),
    CareerKind.FIELD: pgettext_lazy("careers", "Fields"),
    CareerKind.FURTHER_STUDY: gettext_lazy("Further study"),
}


def career_groups(programme):
    """The programme's careers grouped by kind, roles first (needs careers prefetched)."""
    careers = list(programme.careers.all())
    return [
        CareerGroup(heading, tuple(c for c in careers if c.kind == kind))
        for kind, heading in _CAREER_HEADINGS.items()
        if any(c.kind == kind for c in careers)
    ]

"""The admin's programme form and inline formsets: consistency checks and optimistic locking.

Row-level rules (a semester beyond the standard period, a module in another programme's track)
live in the models' `clean()`; the rules that need every row at once (repeated semester numbers,
module credits adding up past the programme's) live here, in the formsets' `clean()`, and are
checked against the values being posted, not the stored ones. Both use `programs.core.consistency`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from programs.actions.programme_writes import own_university_ids
from programs.core import consistency
from programs.core.names import language_name
from programs.core.offering_rule import (
    as_sentence,
    no_offering_university,
    staff_offering_check,
    staff_offering_problems,
)
from programs.core.programme_fields import PROGRAMME_FIELDS
from programs.core.quotes import SourceText, not_in_source_sentence
from programs.models import (
    AdmissionRequirement,
    KeyFact,
    Language,
    Programme,
    RequirementKind,
    Track,
    University,
)
from programs.transfer.fixtures_check import source_text


def conflict_message(programme_pk):
    """The error a stale programme form shows, with a link to load the current version."""
    url = reverse("admin:programs_programme_change", args=[programme_pk])
    return format_html(
        gettext(
            "Someone else saved this programme since you opened it, so nothing was saved: your "
            'changes would overwrite theirs. <a href="{}">Reload the programme</a> to see the '
            "current version, then make your changes again."
        ),
        url,
    )


class MultilineTextField(forms.CharField):
    """A text box's text with every line break as a newline (LF).

    Browsers post each line break in a <textarea> as CR LF, whatever the text had when the page
    was built. Normalised here, in to_python, so that both the saved value and has_changed() see
    the text as it is stored: a text box nobody touched is no change and no history record.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value


def form_field_options(db_field):
    """How the admin builds a model field's form field, beyond Django's defaults.

    A long text's line breaks are stored as newlines (MultilineTextField); a text left blank is
    stored as NULL, "not stated", like the other facts (Django does this for CharField but not
    TextField); a web address typed without a scheme is taken as https:// (Django 6's default,
    chosen now).
    """
    if isinstance(db_field, models.URLField):
        return {"assume_scheme": "https"}
    if isinstance(db_field, models.TextField) and not db_field.choices:
        options = {"form_class": MultilineTextField}
        if db_field.null:
            options["empty_value"] = None
        return options
    return {}


def model_form_field(db_field, **kwargs):
    """A model field's form field, built with form_field_options()."""
    return db_field.formfield(**{**form_field_options(db_field), **kwargs})


class CatalogFormFieldsMixin:
    """For ModelAdmins and inlines: build every form field with form_field_options()."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return super().formfield_for_dbfield(
            db_field, request, **{**form_field_options(db_field), **kwargs}
        )


# What a student filters and compares programmes by (the list's facets and the compare table):
# publishing without one of them asks first. (field names, label); duration is stated by either
# its count or the source's words.
CORE_FACTS = (
    (("degree",), gettext_lazy("Degree awarded")),
    (("level",), gettext_lazy("Level")),
    (("ects",), gettext_lazy("ECTS credits")),
    (("duration_semesters", "duration_as_stated"), gettext_lazy("Standard period of study")),
    (("languages",), gettext_lazy("Teaching languages")),
    (("study_mode",), gettext_lazy("Study mode")),
    (("start_term",), gettext_lazy("Start of studies")),
)


def missing_core_facts(values):
    """The labels of CORE_FACTS that `values` (a form's cleaned data) leaves not stated."""
    return [
        str(label)
        for names, label in CORE_FACTS
        if not any(_filled(values.get(name)) for name in names)
    ]


def core_facts_not_stated(programme):
    """The labels of CORE_FACTS a saved programme leaves not stated (its languages prefetched,
    so a list of programmes costs one query for all their languages)."""
    values = {name: getattr(programme, name) for names, _ in CORE_FACTS for name in names}
    values["languages"] = list(programme.languages.all())
    return missing_core_facts(values)


def _filled(value):
    """Whether a cleaned value states something (an empty queryset of languages does not)."""
    if value is None or value == "":
        return False
    exists = getattr(value, "exists", None)
    return exists() if exists is not None else value != []


class ProgrammeAdminForm(forms.ModelForm):
    """The programme change form; it carries the version it was loaded with."""

    # The version this form was loaded with; a save is refused when the stored one differs.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    # Not a model field: ticking it records today's date and the user as the last check.
    checked_today = forms.BooleanField(
        label=gettext_lazy("Checked against the source today"),
        required=False,
        help_text=gettext_lazy(
            "Tick after comparing every fact of this programme with its source text."
        ),
    )

    # Not a model field: kept as the history's reason for the version this save writes.
    change_reason = forms.CharField(
        label=gettext_lazy("Reason for this change"),
        required=False,
        # simple-history's history_change_reason column holds this many characters.
        max_length=100,
        help_text=gettext_lazy(
            "Shown beside this version in the programme's history, for example “fees for "
            "2027 from the new regulations”. Optional."
        ),
    )

    # Not a model field: the second step of publishing a programme some core fact of which is
    # not stated (see clean_publication).
    publish_incomplete = forms.BooleanField(
        label=gettext_lazy("Publish even though core facts are not stated"),
        required=False,
        help_text=gettext_lazy(
            "Asked only when you publish a programme whose degree, level, ECTS credits, "
            "duration, teaching languages, study mode or start is not stated."
        ),
    )

    class Meta:
        model = Programme
        formfield_callback = model_form_field
        # The admin lays these out in fieldsets; the timestamps are shown read-only.
        fields = [*PROGRAMME_FIELDS, "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        record = getattr(self.instance, "_history", None)
        if record is None:
            return
        # A form opened on an earlier version, to restore it.
        if not self.is_bound:
            # It replaces the current version, so it was "loaded" with the version stored now,
            # not the old version's number.
            self.initial["version"] = self.stored_version()
        # Restoring brings back the whole version, parts and languages included
        # (programs.actions.restore.restore_programme), so the form shows it for reading only: the
        # languages from the version's snapshot, not today's; only the version is posted.
        self.initial["languages"] = list(record.languages.values_list("language_id", flat=True))
        for name, field in self.fields.items():
            field.disabled = name != "version"
        published_now = (
            Programme.objects.filter(pk=self.instance.pk)
            .values_list("published", flat=True)
            .first()
        )
        if published_now is not None and published_now != record.published:
            # A restore keeps today's publication unless the user asks for the version's too.
            self.fields["restore_publication"] = forms.BooleanField(
                required=False,
                label=(
                    gettext_lazy("Also make it a draft again, as it was in this version")
                    if published_now
                    else gettext_lazy("Also publish it, as it was in this version")
                ),
                help_text=(
                    gettext_lazy("Left unticked, the programme stays published.")
                    if published_now
                    else gettext_lazy("Left unticked, the programme stays a draft.")
                ),
            )

    def stored_version(self):
        """The version number in the database now, or None for a programme not saved yet."""
        if self.instance.pk is None:
            return None
        return (
            Programme.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        )

    def clean_version(self):
        version = self.cleaned_data.get("version")
        if version is None and self.instance.pk is None:
            return self.instance.version  # a new programme starts at the model's default
        return version

    def clean_languages(self):
        languages = self.cleaned_data.get("languages")
        if languages is not None:
            problems = consistency.language_code_problems(lang.code for lang in languages)
            if problems:
                raise ValidationError(problems)
        return languages

    def clean(self):
        cleaned_data = super().clean()
        stored = self.stored_version()
        if stored is not None:
            loaded = cleaned_data.get("version")
            if loaded is None:
                raise ValidationError(
                    gettext(
                        "This form does not say which version of the programme it was loaded "
                        "from. Reload the page and make your changes again."
                    )
                )
            if loaded != stored:
                raise ValidationError(conflict_message(self.instance.pk), code="stale")
        self.clean_publication(cleaned_data)
        return cleaned_data

    def clean_publication(self, cleaned_data):
        """Publishing a programme with core facts not stated asks first: the error beside
        "published" lists what is missing, and the form saves once "publish even though" is
        ticked. A page without them is honest ("not stated"), but students filter and compare
        by them, so it should be a choice, not a slip. No script needed: it is the form again."""
        if getattr(self.instance, "_history", None) is not None:
            return  # a restore brings back a version as it was
        if not cleaned_data.get("published") or cleaned_data.get("publish_incomplete"):
            return
        if self.instance.pk is not None and self.initial.get("published"):
            return  # published already: only publishing asks
        missing = missing_core_facts(cleaned_data)
        if missing:
            self.add_error(
                "published",
                ValidationError(
                    [
                        gettext(
                            "These core facts are not stated. Fill them in, or tick “Publish "
                            "even though core facts are not stated” and save again:"
                        ),
                        *missing,
                    ],
                    code="core_facts_not_stated",
                ),
            )


def kept_forms(formset):
    """The formset's rows that will be saved: filled in and not marked for deletion."""
    return [
        form
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
    ]


class OfferingFormSet(BaseInlineFormSet):
    """The universities offering a programme, limited to what the editing user may attach.

    Staff may add, change and remove only their own universities' rows; a partner's existing
    row stays as it is, and the programme must stay offered by at least one of their universities
    (otherwise they would lock themselves, or hand the programme to someone else).
    """

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def own_university_ids(self):
        """Universities this user may attach; None means any (a superuser)."""
        if not hasattr(self, "_own_university_ids"):
            self._own_university_ids = own_university_ids(self.user)
        return self._own_university_ids

    def add_fields(self, form, index):
        super().add_fields(form, index)
        own = self.own_university_ids()
        if own is not None and "university" in form.fields:
            # Partners already offering the programme stay valid choices for their own rows;
            # any other university is rejected as "not one of the available choices".
            current = self.instance.offerings.values("university_id") if self.instance.pk else []
            form.fields["university"].queryset = University.objects.filter(
                pk__in=own
            ) | University.objects.filter(pk__in=current)

    def clean(self):
        if self.instance.pk and any(form.instance.pk is None for form in self.initial_forms):
            # A row posted as existing that is not one of this programme's (removed meanwhile,
            # or a made-up id): the form is out of date, like a stale version.
            raise ValidationError(conflict_message(self.instance.pk), code="stale")
        # The rows as loaded, not as posted: validation has already copied the posted values
        # onto form.instance.
        current = {
            form.initial.get("university"): (form.initial.get("role"), form.initial.get("position"))
            for form in self.initial_forms
        }
        kept = {
            form.cleaned_data["university"].pk: (
                form.cleaned_data.get("role"),
                form.cleaned_data.get("position"),
            )
            for form in kept_forms(self)
            if form.cleaned_data.get("university") is not None
        }
        check = staff_offering_check(self.own_university_ids(), current, kept)
        names = University.objects.in_bulk([*check.foreign_added, *check.partners_touched])
        problems = staff_offering_problems(check, names)
        if not kept:
            problems.append(no_offering_university())
        if problems:
            raise ValidationError([as_sentence(problem) for problem in problems])
        super().clean()


class SourcedRowsFormSet(BaseInlineFormSet):
    """Rows that say how they are known: a quote must be the source's own words.

    When the programme's source text travels with the catalog (fixtures/sources/), every passage
    of a quote is looked up in it, as validate_catalog does, so a quote typed from memory or made
    up is refused at once instead of being shown to students as the source.
    """

    def clean(self):
        super().clean()
        text = source_text(self.instance)
        if text is None:
            return
        source = SourceText(text)
        for form in kept_forms(self):
            missing = source.missing_passages(form.cleaned_data.get("source_quote"))
            if missing:
                form.add_error("source_quote", not_in_source_sentence(missing[0]))


# The programme fields behind each key fact a quote can go stale on (the offering universities
# and teaching languages are edited in their own rows and boxes).
KEY_FACT_FIELDS = {
    KeyFact.DEGREE: ["degree"],
    KeyFact.LEVEL: ["level"],
    KeyFact.FIELD_OF_STUDY: ["field_of_study"],
    KeyFact.JOINT_DEGREE: ["is_joint_degree"],
    KeyFact.FACULTY: ["faculty"],
    KeyFact.CAMPUS: ["campus"],
    KeyFact.CITY: ["city"],
    KeyFact.ECTS: ["ects"],
    KeyFact.DURATION: ["duration_semesters", "duration_as_stated"],
    KeyFact.START_TERM: ["start_term"],
    KeyFact.STUDY_MODE: ["study_mode"],
    KeyFact.DELIVERY: ["delivery"],
    KeyFact.TUITION_TYPE: ["tuition_type"],
    KeyFact.APPROVAL_STATUS: ["approval_status"],
}


class FactSourceFormSet(SourcedRowsFormSet):
    """The sources of the key facts: a fact whose value changes needs its source looked at too.

    A quote left as it was would go on "stating" the old value, and a source row for a fact
    that is now empty would describe nothing.
    """

    def clean(self):
        super().clean()
        # Restoring an earlier version brings back its sources with it (programs.actions.restore).
        if self.instance.pk is None or getattr(self.instance, "_history", None) is not None:
            return
        fields = [field for names in KEY_FACT_FIELDS.values() for field in names]
        stored = Programme.objects.filter(pk=self.instance.pk).values(*fields).first() or {}
        rows = {form.cleaned_data.get("fact"): form for form in kept_forms(self)}
        for fact, names in KEY_FACT_FIELDS.items():
            form = rows.get(fact)
            new = [getattr(self.instance, name) for name in names]
            if form is None or new == [stored.get(name) for name in names]:
                continue
            label = KeyFact(fact).label
            if all(value in (None, "") for value in new):
                form.add_error(
                    None,
                    gettext(
                        "%(fact)s is now empty (not stated), so its source row describes "
                        "nothing: delete the row."
                    )
                    % {"fact": label},
                )
            elif not form.has_changed():
                form.add_error(
                    None,
                    gettext(
                        "You changed %(fact)s; its source still describes the old value. Give "
                        "the source's words for the new value, or the reason under “inferred "
                        "because”."
                    )
                    % {"fact": label},
                )


class SemesterFormSet(SourcedRowsFormSet):
    """A programme's semesters: each number once, within the standard period (posted values)."""

    def clean(self):
        numbers = [form.cleaned_data.get("number") for form in kept_forms(self)]
        # Out-of-range numbers are reported on their own row by Semester.clean(); here only the
        # rule that needs all rows at once, so that no problem is reported twice.
        numbers = [number for number in numbers if number is not None and number >= 1]
        problems = consistency.semester_number_problems(numbers, None)
        if problems:
            raise ValidationError(problems)
        super().clean()


class ModuleFormSet(SourcedRowsFormSet):
    """A programme's modules: tracks of this programme only; credits within the programme's."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "track" in form.fields:
            # Only this programme's tracks: others' belong to other universities' programmes.
            form.fields["track"].queryset = (
                Track.objects.filter(programme=self.instance)
                if self.instance.pk
                else Track.objects.none()
            )

    def clean(self):
        ects = [form.cleaned_data.get("ects") for form in kept_forms(self)]
        problems = consistency.module_ects_problems(ects, self.instance.ects)
        if problems:
            raise ValidationError(problems)
        super().clean()


def removed_language_codes(form):
    """The teaching languages a saved programme form took away (codes)."""
    before = {getattr(language, "pk", language) for language in form.initial.get("languages", [])}
    after = {language.pk for language in form.cleaned_data.get("languages", [])}
    return before - after


def requirements_asking_for_removed_languages(programme, codes):
    """Warnings for languages taken off a programme that one of its admission requirements of
    kind "language" still names (its English text, or its original wording in that wording's
    language): the requirement probably needs changing too, so staff are told, not stopped."""
    if not codes:
        return []
    requirements = list(
        AdmissionRequirement.objects.filter(programme=programme, kind=RequirementKind.LANGUAGE)
    )
    stored_names = dict(Language.objects.filter(pk__in=codes).values_list("code", "name"))
    warnings = []
    for code in sorted(codes):
        english = {stored_names.get(code), language_name(code, "en")}
        for requirement in requirements:
            original = (
                {language_name(code, requirement.original_language_id)}
                if requirement.original_language_id
                else set()
            )
            if consistency.names_a_language(
                requirement.text, english
            ) or consistency.names_a_language(requirement.original_text, original):
                warnings.append(
                    gettext(
                        "You removed %(language)s from the teaching languages, but an admission "
                        "requirement still asks for it: “%(requirement)s”. Change or remove that "
                        "requirement if %(language)s is no longer needed."
                    )
                    % {
                        "language": language_name(code, in_sentence=True),
                        "requirement": requirement.text[:120],
                    }
                )
    return warnings

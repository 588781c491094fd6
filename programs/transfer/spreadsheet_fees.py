"""Tuition fees and application deadlines in the programmes sheet: their columns, cells and writes.

Each is a list in one cell, items separated by "; ", their words in a fixed order:

- `tuition_fees`: amount, currency, period, and whom it is for when not everyone:
  `1500 EUR semester non-eu; 0 EUR semester eu`.
- `application_deadlines`: the day, then the intake and its year and whom it is for where the
  source says: `2027-01-15 winter 2027 non-eu; 2027-07-15 winter 2027 eu`.

The same source rule holds as for every fact (programs/models/sourced.py): a list given needs
the source's words (`…_source_quote`, which must be in the programme's source text where the
catalog keeps it) or why the catalog infers it (`…_inferred_because`); the pair of cells holds for
every item of the list, as a part's quote does in the admin. The columns are optional: a file
without them leaves a programme's fees and deadlines as they are; an empty list cell removes them
(the source states none). A programme's rows are replaced as a whole, in the import's one
transaction, each with its history record.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from programs.actions.programme_writes import insert_parts
from programs.core.quotes import SourceText, not_in_source
from programs.models import (
    ApplicantGroup,
    ApplicationDeadline,
    Programme,
    StartTerm,
    Tuition,
    TuitionPeriod,
)
from programs.transfer.fixtures_check import source_text

TUITION = "tuition_fees"
DEADLINES = "application_deadlines"
# Each list column, then the columns saying how its items are known, and the model they fill.
FEE_COLUMNS = {
    TUITION: ("tuition_source_quote", "tuition_inferred_because", Tuition),
    DEADLINES: ("deadlines_source_quote", "deadlines_inferred_because", ApplicationDeadline),
}
COLUMNS = tuple(
    name
    for column, (quote, reason, _model) in FEE_COLUMNS.items()
    for name in (column, quote, reason)
)
SEPARATOR = ";"
_CURRENCY = re.compile(r"[A-Z]{3}")
_YEAR = re.compile(r"\d{4}")


class FeeCellError(ValueError):
    """An item of a fee or deadline cell can't be read; the message says why."""


def _items(text):
    return [item.strip() for item in text.split(SEPARATOR) if item.strip()]


def parse_tuition(text, error=FeeCellError):
    """The cell's fees as dicts of Tuition fields, in order."""
    fees = []
    for item in _items(text):
        words = item.split()
        if len(words) not in (3, 4):
            raise error(_("“%(item)s” is not “amount currency period [group]”") % {"item": item})
        amount, currency, period, *group = words
        try:
            value = Decimal(amount)
        except InvalidOperation:
            raise error(_("“%(amount)s” is not an amount") % {"amount": amount}) from None
        if value < 0 or value != value.quantize(Decimal("0.01")) or value >= 10**8:
            raise error(_("“%(amount)s” is not an amount") % {"amount": amount})
        if not _CURRENCY.fullmatch(currency):
            raise error(
                _("“%(currency)s” is not a currency code such as EUR") % {"currency": currency}
            )
        if period not in TuitionPeriod.values:
            raise error(
                _("“%(period)s” is not one of: %(choices)s")
                % {"period": period, "choices": ", ".join(TuitionPeriod.values)}
            )
        fees.append(
            {
                "amount": value,
                "currency": currency,
                "period": period,
                "applicant_group": _group(group, error),
            }
        )
    return fees


def parse_deadlines(text, error=FeeCellError):
    """The cell's deadlines as dicts of ApplicationDeadline fields, in order."""
    deadlines = []
    for item in _items(text):
        day, *words = item.split()
        try:
            deadline = datetime.date.fromisoformat(day)
        except ValueError:
            raise error(_("“%(day)s” is not a date as YYYY-MM-DD") % {"day": day}) from None
        intake = year = None
        group = []
        for word in words:
            if word in StartTerm.values and intake is None:
                intake = word
            elif _YEAR.fullmatch(word) and year is None:
                year = int(word)
            elif word in ApplicantGroup.values and not group:
                group = [word]
            else:
                raise error(
                    _("“%(word)s” in “%(item)s” is no intake, year or applicant group")
                    % {"word": word, "item": item}
                )
        deadlines.append(
            {
                "deadline": deadline,
                "intake": intake,
                "intake_year": year,
                "applicant_group": _group(group, error),
            }
        )
    return deadlines


def _group(words, error):
    if not words:
        return ApplicantGroup.ALL
    if words[0] not in ApplicantGroup.values:
        raise error(
            _("“%(group)s” is not one of: %(choices)s")
            % {"group": words[0], "choices": ", ".join(ApplicantGroup.values)}
        )
    return words[0]


def tuition_cell(fees):
    """Fees (dicts or Tuition rows) as the cell writes them."""
    return f"{SEPARATOR} ".join(
        " ".join(
            filter(
                None,
                [
                    f"{Decimal(_get(fee, 'amount')).normalize():f}",
                    _get(fee, "currency"),
                    _get(fee, "period"),
                    None
                    if _get(fee, "applicant_group") == ApplicantGroup.ALL
                    else _get(fee, "applicant_group"),
                ],
            )
        )
        for fee in fees
    )


def deadlines_cell(deadlines):
    """Deadlines (dicts or ApplicationDeadline rows) as the cell writes them."""
    return f"{SEPARATOR} ".join(
        " ".join(
            filter(
                None,
                [
                    _get(row, "deadline").isoformat(),
                    _get(row, "intake"),
                    str(_get(row, "intake_year") or "") or None,
                    None
                    if _get(row, "applicant_group") == ApplicantGroup.ALL
                    else _get(row, "applicant_group"),
                ],
            )
        )
        for row in deadlines
    )


def _get(item, name):
    return item[name] if isinstance(item, dict) else getattr(item, name)


def stored_cells(programme):
    """A stored programme's fee columns as the export writes them (needs `tuition_fees` and
    `application_deadlines` prefetched)."""
    cells = {}
    for column, (quote, reason, _model) in FEE_COLUMNS.items():
        rows = list(getattr(programme, column).all())
        cells[column] = (tuition_cell if column == TUITION else deadlines_cell)(rows)
        # One pair of cells for the whole list: the first row's (an import writes the same on
        # every row; the admin may have given rows their own, which the import then unifies).
        cells[quote] = (rows[0].source_quote or "") if rows else ""
        cells[reason] = (rows[0].inferred_because or "") if rows else ""
    return cells


def check_sources(row, document, sources):
    """The source rule for each fee list the row gives: the source's words or a reason, and
    words that are in the source text where the catalog keeps it. `sources` caches the texts."""
    for column, (quote, reason, _model) in FEE_COLUMNS.items():
        if not row.values.get(column):
            continue
        quote_text, reason_text = row.values.get(quote), row.values.get(reason)
        if not quote_text and not reason_text:
            row.error(
                column,
                _(
                    "give the source's words in “%(quote)s”, or why the catalog infers these "
                    "in “%(reason)s”"
                )
                % {"quote": quote, "reason": reason},
            )
            continue
        if quote_text and document:
            if document not in sources:
                text = source_text(Programme(source_document=document))
                sources[document] = SourceText(text) if text is not None else None
            source = sources[document]
            missing = source.missing_passages(quote_text) if source is not None else []
            if missing:
                row.error(quote, not_in_source(missing[0]))


def replace_fee_rows(programme_ids_and_values, user, reason):
    """For each (programme id, row values) whose row gives a fee column, its stored rows of that
    kind replaced by the row's, each deletion and insertion recorded in history."""
    for column, (quote, why, model) in FEE_COLUMNS.items():
        given = [(pk, values) for pk, values in programme_ids_and_values if column in values]
        if not given:
            continue
        for old in model.objects.filter(programme_id__in=[pk for pk, _values in given]):
            old._history_user, old._change_reason = user, reason
            old.delete()
        insert_parts(
            model,
            [
                model(
                    programme_id=pk,
                    position=position,
                    source_quote=values.get(quote),
                    inferred_because=values.get(why),
                    **item,
                )
                for pk, values in given
                for position, item in enumerate(values[column] or [])
            ],
            user,
            reason,
        )

"""The catalog's consistency rules, as plain functions over plain values.

The admin's forms and the `validate_catalog` command both enforce these, so they take numbers and
codes rather than model instances: the admin checks unsaved form data, the command stored rows.
Each function returns a list of human-readable problems; an empty list means all is well.
"""

import re
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

# ISO 639-1: the two-letter language codes (all 183 of them), so a typo such as "en-GB" or "xx"
# is caught before it reaches the public language filter.
ISO_639_1_CODES = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht
    hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky
    la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny
    oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss
    st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo
    za zh zu
    """.split()
)


def language_code_problems(codes: Iterable[str]) -> list[str]:
    """Codes that are not ISO 639-1 two-letter language codes."""
    return [
        f'"{code}" is not an ISO 639-1 language code (two lowercase letters, e.g. "en")'
        for code in codes
        if code not in ISO_639_1_CODES
    ]


def semester_number_problems(numbers: Iterable[int], duration_semesters: int | None) -> list[str]:
    """Semester numbers that repeat, start below 1, or exceed the standard period of study."""
    numbers = [number for number in numbers if number is not None]
    problems = [
        f"semester {number} appears {count} times; each semester number may appear once"
        for number, count in sorted(Counter(numbers).items())
        if count > 1
    ]
    problems += [
        f"semester {n} is not valid: semesters are numbered from 1" for n in numbers if n < 1
    ]
    if duration_semesters is not None:
        problems += [
            f"semester {number} is beyond the standard period of {duration_semesters} semesters"
            for number in sorted(set(numbers))
            if number > duration_semesters
        ]
    return problems


def module_ects_problems(
    module_ects: Iterable[Decimal | int | None], programme_ects: int | None
) -> list[str]:
    """Module credits that add up to more than the programme's total, where both are known."""
    known = [Decimal(ects) for ects in module_ects if ects is not None]
    if programme_ects is None or not known:
        return []
    total = sum(known)
    if total > programme_ects:
        return [
            f"the modules' credits add up to {total.normalize():f} ECTS, more than the "
            f"programme's {programme_ects} ECTS"
        ]
    return []


def names_a_language(text: str | None, language_names: Iterable[str]) -> bool:
    """Whether `text` names a language by one of `language_names`, as a word or the start of
    one ("German", "Deutschkenntnisse"), whatever the case."""
    if not text:
        return False
    return any(
        re.search(rf"\b{re.escape(name)}", text, re.IGNORECASE) for name in language_names if name
    )

"""System checks of the catalog's own rules, run by `manage.py check` (and so by every test run,
migrate and runserver).

programs.E001: every model with a ForeignKey to Programme is either a part of a programme
(programs.models.parts.PROGRAMME_PARTS) or listed in NOT_PARTS with its reason. A part missing
from the registry would be missing from the admin, from restores, from "Duplicate", from the
public change log and from the staff group's permissions, without any test noticing.

programs.E002: the interpreter parses cookies in linear time (catalog/interpreter.py): one
without the fix for CVE-2024-7592 lets a single request hold a worker for seconds.
"""

from django.apps import apps
from django.core import checks
from django.db import models

from catalog.interpreter import cookie_parsing_problem
from programs.models import NOT_PARTS, PROGRAMME_PARTS, Programme


def unregistered_parts(parts, not_parts, candidates=None):
    """The models among `candidates` (default: every installed model) with a ForeignKey to
    Programme that are neither in `parts` nor in `not_parts`."""
    known = {part.model for part in parts} | set(not_parts)
    missing = []
    for model in candidates if candidates is not None else apps.get_models():
        if model in known or model._meta.app_label != Programme._meta.app_label:
            continue
        if getattr(model, "instance_type", None) is not None:
            continue  # a django-simple-history record of a part, not a part
        # One-to-one fields are ForeignKeys too (a programme's search document).
        points_at_programme = any(
            isinstance(field, models.ForeignKey) and field.related_model is Programme
            for field in model._meta.concrete_fields
        )
        if points_at_programme:
            missing.append(model)
    return missing


def programme_parts_registered(app_configs=None, parts=None, not_parts=None, **kwargs):
    """programs.E001 for each model pointing at a programme that the registry doesn't know."""
    parts = PROGRAMME_PARTS if parts is None else parts
    not_parts = NOT_PARTS if not_parts is None else not_parts
    return [
        checks.Error(
            f"{model._meta.label} has a ForeignKey to Programme but is not a part of a programme.",
            hint=(
                "Add it to PROGRAMME_PARTS in programs/models/parts.py (then the admin, restore, "
                "Duplicate, the public change log and the fixtures handle it), or to NOT_PARTS "
                "with the reason it is none."
            ),
            obj=model,
            id="programs.E001",
        )
        for model in unregistered_parts(parts, not_parts)
    ]


def interpreter_parses_cookies_safely(app_configs=None, **kwargs):
    """programs.E002 when this Python reads a crafted cookie in quadratic time."""
    problem = cookie_parsing_problem()
    if problem is None:
        return []
    return [
        checks.Error(
            problem,
            hint="`python3.11 catalog/interpreter.py` tells whether an interpreter has the fix.",
            id="programs.E002",
        )
    ]


def register():
    checks.register(programme_parts_registered, checks.Tags.models)
    # Not a deploy-only check: runserver, migrate and every management command refuse it too.
    checks.register(interpreter_parses_cookies_safely, checks.Tags.security)

"""The scale-benchmark generator makes labelled synthetic rows and removes them again."""

import io

import pytest
from django.core.management import CommandError, call_command

from programs.models import Module, Programme

pytestmark = pytest.mark.django_db


def test_generated_programmes_are_labelled_synthetic_and_removable():
    output = io.StringIO()
    call_command("generate_catalog", programmes=5, stdout=output)
    generated = Programme.objects.filter(slug__startswith="synthetic-")
    assert generated.count() == 5
    assert all(p.title.startswith("Synthetic programme") for p in generated)
    assert Module.objects.filter(programme__in=generated).count() == 5 * 12
    assert "Generated 5 synthetic programmes" in output.getvalue()

    call_command("generate_catalog", delete=True, stdout=io.StringIO())
    assert not Programme.objects.filter(slug__startswith="synthetic-").exists()


def test_generating_no_programmes_is_refused_with_a_message():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_catalog", programmes=0)

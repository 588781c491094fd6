"""What other code, staff's bookmarks and advisors' links rely on stays put when code moves: the
model labels and tables, the admin's registrations and every URL pattern and name
(tests/support/surface.py says how to write the file again after a deliberate change)."""

from pathlib import Path

from tests.support.surface import surface_lines

SURFACE = Path(__file__).resolve().parents[1] / "support" / "surface.txt"


def test_models_admin_and_urls_are_those_recorded():
    recorded = SURFACE.read_text().splitlines()
    current = surface_lines()
    assert [line for line in recorded if line not in current] == []
    assert [line for line in current if line not in recorded] == []

"""Migrations run frozen copies of the code they need (programs/migrations/_*.py), never the live
code, which moves and changes: a migration must keep doing what it did when it ran."""

import ast
from pathlib import Path

import programs.migrations

MIGRATIONS = Path(programs.migrations.__file__).parent
# 0008 names a model field's default (programs.models.…), as Django writes it: allowed.
ALLOWED = {"programs.models"}


def test_migrations_import_no_live_code_of_the_app():
    imported = []
    for path in sorted(MIGRATIONS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            imported += [
                (path.name, name)
                for name in names
                if name.split(".")[0] == "programs" and name not in ALLOWED
            ]
    assert imported == []

"""The wheel `pip` builds from pyproject.toml holds every package of the project.

A package left out of the wheel (a subpackage, the migrations, the management commands, the
template tags) still imports from a checkout, so no other test would notice it missing.
"""

import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.support.local_servers import PROJECT_ROOT as PROJECT

# What the build reads: the packages, pyproject.toml and the README it names as the readme.
BUILD_INPUTS = ("pyproject.toml", "README.md", "catalog", "programs")


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory):
    """The file names in a wheel built from a copy of the project (setuptools builds in its
    source folder, and a build/ folder left from an earlier build would add its own files)."""
    source = tmp_path_factory.mktemp("source")
    for name in BUILD_INPUTS:
        if (PROJECT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(PROJECT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(PROJECT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", str(source), "-w", str(out)),
            *("--no-deps", "--no-build-isolation", "--no-index", "--quiet"),
        ],
        check=True,
        timeout=120,
    )
    (wheel,) = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_holds_every_package(wheel_files):
    packages = [
        path.relative_to(PROJECT).as_posix()
        for top in ("catalog", "programs")
        for path in (PROJECT / top).rglob("__init__.py")
    ]
    assert len(packages) > 10
    assert sorted(set(packages) - wheel_files) == []


def test_the_wheel_holds_the_migrations_commands_and_template_tags(wheel_files):
    for name in (
        "programs/migrations/0001_initial.py",
        "programs/management/commands/load_catalog.py",
        "programs/templatetags/facts.py",
    ):
        assert name in wheel_files
    assert not any(name.startswith("tests/") for name in wheel_files)

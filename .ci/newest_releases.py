"""Fail when an installed runtime dependency is older than the newest release its range allows.

`make lint` runs it. The ranges in pyproject.toml's [project] dependencies take only compatible
releases (`Django>=5.2,<5.3`), and security fixes arrive as new releases within them; with no
vulnerability database reachable from here, being on the newest allowed release is what can be
checked. For each dependency this asks PyPI's JSON API for its releases, keeps those the range
allows that are not yanked, not pre-releases and run on this Python, and compares the newest
with the version installed in this environment:

    package Django 5.2.20 installed, 5.2.21 is the newest allowed by >=5.2,<5.3: update

It needs the network. When PyPI can't be reached it says so and passes, except under CI=true
(as .ci/run sets), where a check that could not run fails.

    .venv/bin/python .ci/newest_releases.py [--pyproject pyproject.toml]
"""

import argparse
import json
import os
import platform
import re
import sys
import tomllib
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
# PYPI_JSON_URL points the tests at a local stand-in for PyPI.
PYPI_JSON_URL = os.environ.get("PYPI_JSON_URL", "https://pypi.org/pypi")
TIMEOUT_SECONDS = 15


def runtime_requirements(pyproject):
    """The [project] dependencies of `pyproject`: {Requirement: its range as written there}."""
    project = tomllib.loads(Path(pyproject).read_text())["project"]
    requirements = {}
    for line in project.get("dependencies", []):
        requirement = Requirement(line)
        # The range as written (`>=5.2,<5.3`): packaging's own str() reorders it.
        written = re.sub(r"^[A-Za-z0-9._-]+\s*(\[[^]]*\])?", "", line).split(";")[0].strip()
        requirements[requirement] = written
    return requirements


def releases_of(name):
    """{version text: [file, ...]} of every release PyPI has of `name`."""
    url = f"{PYPI_JSON_URL}/{canonicalize_name(name)}/json"
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        return json.load(response)["releases"]


def _runs_here(files, python):
    """Whether some file of a release is not yanked and supports this Python."""
    for file in files:
        if file.get("yanked"):
            continue
        try:
            if SpecifierSet(file.get("requires_python") or "").contains(python):
                return True
        except InvalidSpecifier:  # some old uploads have nonsense here: don't hold it against them
            return True
    return False


def newest_allowed(requirement, releases, python):
    """The newest release in `releases` that `requirement`'s range allows and this Python runs
    (pre-releases only where the range itself names one), or None."""
    allowed = []
    # Explicitly: packaging's default would let a pre-release count when nothing else matches.
    prereleases = bool(requirement.specifier.prereleases)
    for text, files in releases.items():
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        if requirement.specifier.contains(version, prereleases) and _runs_here(files, python):
            allowed.append(version)
    return max(allowed, default=None)


def problem_with(requirement, written, releases, python):
    """What is wrong with the installed `requirement` (its range `written` so), or None."""
    name, allowed_by = requirement.name, written or "any version"
    try:
        installed = Version(metadata.version(name))
    except metadata.PackageNotFoundError:
        return f"package {name} is not installed (pyproject.toml asks for {allowed_by})"
    newest = newest_allowed(requirement, releases, python)
    if newest is None:
        return f"package {name}: PyPI has no release allowed by {allowed_by} for this Python"
    if installed not in requirement.specifier and installed > newest:
        return f"package {name} {installed} installed, outside {allowed_by}"
    if installed < newest:
        return (
            f"package {name} {installed} installed, {newest} is the newest allowed by "
            f"{allowed_by}: update"
        )
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyproject", default=ROOT / "pyproject.toml")
    args = parser.parse_args()
    requirements = runtime_requirements(args.pyproject)

    def look_up(requirement):
        try:
            return requirement, releases_of(requirement.name), None
        except (OSError, ValueError, KeyError) as error:  # URLError is an OSError
            return requirement, None, error

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(look_up, requirements))
    python = platform.python_version()
    unreachable = [(requirement.name, error) for requirement, _, error in answers if error]
    if unreachable:
        name, error = unreachable[0]
        message = (
            f"Could not ask PyPI ({PYPI_JSON_URL}) for the newest releases of "
            f"{len(unreachable)} of {len(requirements)} dependencies ({name}: {error}), so "
            "whether they are up to date is unknown."
        )
        if os.environ.get("CI") == "true":
            print(f"{message} Under CI=true that is a failure.", file=sys.stderr)
            return 1
        print(f"Warning: {message}", file=sys.stderr)
    problems = [
        problem
        for requirement, releases, error in answers
        if not error
        and (problem := problem_with(requirement, requirements[requirement], releases, python))
    ]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            "Update each within its range, e.g. .venv/bin/pip install -U 'Django>=5.2,<5.3', "
            "or widen the range in pyproject.toml.",
            file=sys.stderr,
        )
        return 1
    checked = len(requirements) - len(unreachable)
    print(f"{checked} runtime dependencies are at the newest release their range allows.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

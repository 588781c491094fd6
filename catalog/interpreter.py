"""Whether this Python parses cookies safely: run before the environment is built (`make`), as a
system check (`manage.py check`, `migrate`, `runserver`) and when gunicorn starts.

CPython before 3.11.10 unquotes a quoted cookie value in time quadratic in its backslashes
(CVE-2024-7592): one request with a 730 KB Cookie header held a worker for 11 seconds, and every
request's cookies are read, /healthz's included. Distributions backport the fix without changing
the version number (Debian's 3.11.2-6+deb12u3 and later have it, and call themselves 3.11.2), so
this measures what the interpreter does instead of reading its version: Django hands each cookie
value to http.cookies._unquote, which takes a few milliseconds for BACKSLASHES backslashes when
fixed and most of a second when not.

Standard library only, so that `python3.11 catalog/interpreter.py` can judge an interpreter before
anything is installed for it; it exits 1 with the reason and what to do.
"""

import sys
import time
from http import cookies

# 20,000 backslashes, quoted: 3 ms on a fixed interpreter here, 800 ms on an unfixed one (the
# cost grows with the square of the length, so a faster machine can't hide it).
BACKSLASHES = 20_000
BUDGET_SECONDS = 0.1
# The fastest of a few tries counts: a fixed interpreter on a busy machine can lose one try to
# another process, while an unfixed one never gets fast.
ATTEMPTS = 3


def cookie_unquoting_seconds():
    """The fastest of ATTEMPTS timings of unquoting the crafted cookie value, stopping at the
    first within the budget."""
    crafted = '"' + "\\" * BACKSLASHES + '"'
    fastest = float("inf")
    for _ in range(ATTEMPTS):
        started = time.perf_counter()
        cookies._unquote(crafted)
        fastest = min(fastest, time.perf_counter() - started)
        if fastest <= BUDGET_SECONDS:
            break
    return fastest


def cookie_parsing_problem():
    """None when this interpreter unquotes cookies in linear time; otherwise what is wrong and
    what to do, in a sentence for the person running it."""
    seconds = cookie_unquoting_seconds()
    if seconds <= BUDGET_SECONDS:
        return None
    built_on = sys.executable
    if sys.prefix != sys.base_prefix:  # a virtualenv: name the interpreter it was made from
        built_on = f"{sys.executable} (a virtualenv of {sys.base_prefix})"
    return (
        f"Python {sys.version.split()[0]} at {built_on} has the cookie-parsing hole "
        f"CVE-2024-7592: a cookie of {BACKSLASHES:,} backslashes took {seconds:.2f} s to read "
        f"(a fixed Python takes milliseconds), so one crafted request can hold a worker for "
        f"seconds. Use a patched Python 3.11: CPython 3.11.10 or later, or Debian's python3.11 "
        f"(/usr/bin/python3.11, 3.11.2-6+deb12u3 or later). To rebuild the environment: "
        f"rm -rf .venv && make install PYTHON=/usr/bin/python3.11"
    )


def main():
    problem = cookie_parsing_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

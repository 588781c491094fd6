"""Accessibility checks in the browser tests: axe-core, run on the page as it is."""

from axe_playwright_python.sync_playwright import Axe


def axe_violations(page, impacts=("serious", "critical")):
    """axe-core's violations on the page as it is now, of these impacts (None: every impact),
    and its report for the failure message."""
    results = Axe().run(page)
    found = [
        violation
        for violation in results.response["violations"]
        if impacts is None or violation["impact"] in impacts
    ]
    return found, results.generate_report()

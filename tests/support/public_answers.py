"""Public answers as a visitor gets them, with the per-request values taken out, for tests that
check a change left them as they were, byte for byte."""

import re

from django.test import Client

# Per-request values that differ between any two requests: CSRF tokens, CSP nonces.
TOKENS = [
    (re.compile(rb'nonce="[^"]*"'), b'nonce=""'),
    (re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"'), b'name="csrfmiddlewaretoken"'),
    (re.compile(rb'"X-CSRFToken": *"[^"]*"'), b'"X-CSRFToken": ""'),
    (re.compile(rb'csrf[_-]?token[^>]{0,20}?"[A-Za-z0-9]{32,}"', re.I), b"csrf-token"),
]


def answers(addresses):
    """Each address's status, content type and body as a visitor (a new client) gets them."""
    result = {}
    for address in addresses:
        response = Client().get(address)
        body = response.content if not response.streaming else b"".join(response.streaming_content)
        for pattern, replacement in TOKENS:
            body = pattern.sub(replacement, body)
        result[address] = (response.status_code, response.get("Content-Type"), body)
    return result

"""Security headers Django 5.2 does not set itself: the Content-Security-Policy.

The pages load scripts and styles from the service's own static files only (no inline
script, no inline style), so the policy can be strict. Charts drawn inline as SVG carry
presentation attributes rather than ``style`` (see ``vawg.web.svg``); the QR code for
setting up two-factor authentication is an SVG ``data:`` image.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)


class ContentSecurityPolicyMiddleware:
    """Add ``Content-Security-Policy`` (``VAWG_CSP`` in settings) to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "VAWG_CSP", DEFAULT_CSP)
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response

"""Every file the tracker hands out (evidence, returns, reckoners, papers) goes through here.

They hold police data about victims and suspects: no shared cache or browser back-forward
cache may keep a copy, so each download is ``Cache-Control: private, no-store``.
"""

from __future__ import annotations

from typing import TypeVar

from django.http import HttpResponse, HttpResponseBase

NO_STORE = "private, no-store"

R = TypeVar("R", bound=HttpResponseBase)


def no_store(response: R) -> R:
    """``response`` marked so that no cache keeps it, and never content-sniffed."""
    response["Cache-Control"] = NO_STORE
    response["X-Content-Type-Options"] = "nosniff"
    return response


def attachment(body: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """``body`` as a download named ``filename`` (ASCII: the callers build it from slugs)."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return no_store(response)

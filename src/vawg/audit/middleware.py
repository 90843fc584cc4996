"""Attribute the audit events of a request to its signed-in user."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from vawg.audit.recording import acting_for_request


class AuditUserMiddleware:
    """Make the request's user (and address) the actor of events recorded while it runs.

    Place after ``AuthenticationMiddleware``. The user is looked up only when an event is
    recorded, so requests that change nothing cost nothing. Synchronous only, like the rest
    of the tracker's middleware stack.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_for_request(request):
            return self.get_response(request)

"""Attribute the audit events of a request to its signed-in user."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from vawg.audit.models import AuditAction
from vawg.audit.recording import acting_for_request, record_event


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
            response = self.get_response(request)
            if response.status_code == 403:
                # A refusal is the access rules working, and also what an investigation of
                # probing (a board member trying restricted pages) needs to find: path and
                # method only, never the query string, which may hold searched-for names.
                record_event(
                    AuditAction.REFUSED,
                    target=f"{request.method} {request.path}"[:200],
                )
            return response

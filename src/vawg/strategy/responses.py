"""Writes to a force's responses: dated narrative updates and changes to owner, status, RAG, due.

Every write goes through these functions, whatever the caller (pages, CLI, packs). They check
their input themselves, keep the history whole (updates are append-only; each changed field of
a response leaves a ``ResponseChange`` row) and refuse a change made from a stale copy of the
response instead of silently overwriting someone else's work.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from vawg.audit.models import AuditAction
from vawg.audit.recording import actor_for, record_event
from vawg.dates import past_span
from vawg.errors import VawgError
from vawg.strategy.models import DeliveryRag, Response, ResponseChange, Status, Update
from vawg.text import find_forbidden

#: The tracker's dates are the force's dates: "today" is today in England.
LONDON = ZoneInfo("Europe/London")

#: Fields of a response a person may change, in the order their changes are recorded.
CHANGEABLE_FIELDS = ("owner_role", "status", "rag", "due")


class UpdateError(VawgError):
    """An update that cannot be stored; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


class ResponseChangeError(VawgError):
    """A change to a response with a value that is not allowed; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


class StaleResponseError(VawgError):
    """The response changed since the caller read it: the change is refused, nothing is lost."""

    def __init__(self, response: Response, expected_revision: int) -> None:
        self.response = response
        self.expected_revision = expected_revision
        super().__init__(
            f"Someone else changed the response to action {response.action.number} since you "
            f"opened it (you had revision {expected_revision}, it is now at revision "
            f"{response.revision}). Your change was not saved."
        )


def today_in_london() -> dt.date:
    """Today's date in Europe/London, whatever the server's own time zone."""
    return timezone.now().astimezone(LONDON).date()


def add_update(
    *,
    response: Response,
    as_at: dt.date,
    text: str,
    author,
    author_role: str,
    today: dt.date | None = None,
) -> Update:
    """Append a dated narrative update to ``response`` and return it.

    ``text`` must not be blank and ``as_at`` must be in ``vawg.dates.past_span``: not after
    ``today`` (by default today in Europe/London), not before 2000; text holding a control or
    text direction character is refused (``vawg.text``). Updates are never edited: a
    correction is a new update.
    """
    today = today or today_in_london()
    for field, label, value in (
        ("text", "Update text", text),
        ("author_role", "Your role", author_role),
    ):
        if (found := find_forbidden(value or "")) is not None:
            raise UpdateError(field, found.message(label))
    text = (text or "").strip()
    author_role = (author_role or "").strip()
    if not text:
        raise UpdateError("text", "Enter the update")
    if not isinstance(as_at, dt.date) or isinstance(as_at, dt.datetime):
        raise UpdateError("as_at", "Enter the date the update describes")
    problem = past_span(today).problem(as_at, "The date of the update")
    if problem:
        raise UpdateError("as_at", problem)
    if not author_role:
        raise UpdateError("author_role", "Enter your role")
    return Update.objects.create(
        response=response,
        as_at=as_at,
        text=text,
        author=author,
        author_role=author_role,
    )


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _as_audit(value):
    """A field value as the audit trail's JSON holds it (dates as ISO text, None kept)."""
    return value.isoformat() if isinstance(value, dt.date) else value


def change_response(
    *,
    response: Response,
    expected_revision: int,
    owner_role: str,
    status: str,
    rag: str,
    due: dt.date | None,
    user,
) -> Response:
    """Change a response's owner role, status, delivery RAG and due date.

    ``expected_revision`` is the revision the caller's form was built from. If the stored
    response has moved on, ``StaleResponseError`` is raised and nothing is written. Otherwise
    one ``ResponseChange`` row is recorded per field that changed, the revision goes up by one
    and the refreshed response is returned. A save that changes nothing writes nothing.
    """
    if (found := find_forbidden(owner_role or "")) is not None:
        raise ResponseChangeError("owner_role", found.message("The owner's role"))
    owner_role = (owner_role or "").strip()
    if not owner_role:
        raise ResponseChangeError("owner_role", "Enter the owner's role")
    if len(owner_role) > Response._meta.get_field("owner_role").max_length:
        raise ResponseChangeError("owner_role", "The owner's role must be 200 characters or fewer")
    if status not in Status.values:
        raise ResponseChangeError("status", "Select a status")
    if rag not in DeliveryRag.values:
        raise ResponseChangeError("rag", "Select a delivery RAG")
    if due is not None and (not isinstance(due, dt.date) or isinstance(due, dt.datetime)):
        raise ResponseChangeError("due", "The due date must be a date")

    wanted = {"owner_role": owner_role, "status": status, "rag": rag, "due": due}
    with transaction.atomic():
        current = Response.objects.select_for_update().select_related("action").get(pk=response.pk)
        if current.revision != expected_revision:
            raise StaleResponseError(current, expected_revision)
        changed = [name for name in CHANGEABLE_FIELDS if getattr(current, name) != wanted[name]]
        if not changed:
            return current
        # Compare-and-set on the revision: a writer that slipped in between is refused too.
        updated = Response.objects.filter(pk=current.pk, revision=expected_revision).update(
            **{name: wanted[name] for name in changed},
            revision=expected_revision + 1,
            updated_at=timezone.now(),
        )
        if updated != 1:
            current.refresh_from_db()
            raise StaleResponseError(current, expected_revision)
        ResponseChange.objects.bulk_create(
            ResponseChange(
                response=current,
                field=name,
                old_value=_as_text(getattr(current, name)),
                new_value=_as_text(wanted[name]),
                changed_by=user if getattr(user, "pk", None) else None,
            )
            for name in changed
        )
        # update() and bulk_create() send no signals: without this the main way responses
        # are edited would be missing from the audit trail. Same transaction, so the event
        # and the change stand or fall together.
        record_event(
            AuditAction.CHANGE,
            target=current,
            changes={
                **{
                    name: [_as_audit(getattr(current, name)), _as_audit(wanted[name])]
                    for name in changed
                },
                "revision": [expected_revision, expected_revision + 1],
            },
            actor=actor_for(user if getattr(user, "pk", None) else None),
        )
    current.refresh_from_db()
    return current

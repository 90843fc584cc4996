"""Restricted records: the one way a page shows or exports them.

Wrap every view of a restricted module with :func:`restricted`. The wrapped view:

- is open only to holders of ``accounts.view_restricted`` (the ``RESTRICTED`` rule), whatever
  the link or URL they came by;
- needs a session that has passed the second factor;
- asks for the purpose of the visit before showing anything, and keeps it in the session for
  that record for ``VAWG_RESTRICTED_PURPOSE_SECONDS`` (15 minutes by default), so a person
  working one case states it once, and a new record, or the same one later, asks again;
- records every successful view and export with who, when, what and the purpose
  (:func:`vawg.audit.recording.log_restricted_access`, the Data Protection Act 2018 s.62
  log) before the response leaves; if that record cannot be written nothing is shown.

``AccessPolicyMiddleware`` refuses a view whose rule is ``RESTRICTED`` but which was not made
by :func:`restricted`, and :func:`~vawg.accounts.access.access` will not take that rule, so a
new restricted page cannot skip the purpose or the log by mistake.

The purpose is what the person typed: it goes to the audit trail, never to the application
log.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from vawg.accounts.access import RESTRICTED
from vawg.accounts.middleware import VERIFIED_KEY
from vawg.audit import registry
from vawg.audit.models import AuditAction
from vawg.audit.recording import log_restricted_access
from vawg.web.forms import GovukForm, PlainTextField

#: Session key: ``{record key: {"purpose": text, "at": epoch seconds}}``.
PURPOSES_KEY = "vawg_restricted_purposes"
#: A hidden field that tells the purpose form's POST from the view's own forms.
FORM_MARKER = "vawg_restricted_purpose_form"

#: What a restricted view shows: a record, or a label for a page that is not one record.
Record = models.Model | str
RecordOf = Record | Callable[..., Record]


def purpose_seconds() -> int:
    return int(getattr(settings, "VAWG_RESTRICTED_PURPOSE_SECONDS", 15 * 60))


class PurposeForm(GovukForm):
    """Why the person needs the record, in their own words."""

    purpose = PlainTextField(
        label_for_errors="The reason",
        strip=True,
        min_length=10,
        max_length=500,
        error_messages={
            "required": "Enter why you need to see this information",
            "min_length": "Say in a few more words why you need to see this information",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )


def record_key(record: Record) -> str:
    """The session key a stated purpose is kept under: one per record (or labelled page)."""
    if isinstance(record, models.Model):
        meta = record._meta
        return f"{meta.app_label}.{meta.model_name}:{record.pk}"
    return f"page:{record}"


def _describe(record: Record) -> str:
    return registry.describe(record) if isinstance(record, models.Model) else record


def stated_purpose(request: HttpRequest, record: Record) -> str | None:
    """The purpose stated for ``record`` in this session, unless it is too old."""
    kept = request.session.get(PURPOSES_KEY, {}).get(record_key(record))
    if not kept or time.time() - float(kept.get("at", 0)) > purpose_seconds():
        return None
    return kept.get("purpose") or None


def _remember(request: HttpRequest, record: Record, purpose: str) -> None:
    now = time.time()
    kept = {
        key: value
        for key, value in request.session.get(PURPOSES_KEY, {}).items()
        if now - float(value.get("at", 0)) <= purpose_seconds()
    }
    kept[record_key(record)] = {"purpose": purpose, "at": now}
    request.session[PURPOSES_KEY] = kept


def _ask(request: HttpRequest, form: PurposeForm, record: Record) -> HttpResponse:
    return render(
        request,
        "accounts/restricted_purpose.html",
        {
            "form": form,
            "errors": form.error_list() if form.is_bound else [],
            "what": _describe(record),
            "minutes": purpose_seconds() // 60,
            "marker": FORM_MARKER,
        },
    )


def _default_action(request: HttpRequest) -> str:
    return AuditAction.EXPORT if request.GET.get("export") else AuditAction.VIEW


def restricted(
    what: RecordOf, *, action: str | Callable[[HttpRequest], str] = _default_action
) -> Callable:
    """Make a view a restricted one (see the module's docstring).

    ``what`` is the record shown, or a function of the view's arguments returning it
    (``lambda request, pk: get_object_or_404(...)``), or a label for a page that is not one
    record. ``action`` is ``"view"`` or ``"export"``, or a function of the request choosing
    one; by default a request with ``?export=`` is an export. The view can read the stated
    purpose as ``request.vawg_restricted_purpose``.
    """

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not RESTRICTED.allows(request.user):
                raise PermissionDenied
            # The middleware signs out such a session first; this holds even without it.
            if request.session.get(VERIFIED_KEY) is not True:
                raise PermissionDenied
            record = what(request, *args, **kwargs) if callable(what) else what

            if request.method == "POST" and FORM_MARKER in request.POST:
                form = PurposeForm(request.POST)
                if not form.is_valid():
                    return _ask(request, form, record)
                _remember(request, record, form.cleaned_data["purpose"])
                return redirect(request.get_full_path())
            purpose = stated_purpose(request, record)
            if purpose is None:
                return _ask(request, PurposeForm(), record)

            request.vawg_restricted_purpose = purpose
            with transaction.atomic():
                response = view(request, *args, **kwargs)
                if 200 <= response.status_code < 300:
                    chosen = action(request) if callable(action) else action
                    log_restricted_access(
                        user=request.user, action=chosen, obj_or_label=record, purpose=purpose
                    )
            return response

        wrapped.vawg_access = RESTRICTED
        wrapped.vawg_restricted = True
        return wrapped

    return decorate

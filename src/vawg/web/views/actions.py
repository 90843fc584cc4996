"""One national action: the force's response, its history, and the forms that change it.

Readers of the whole tracker see every update and the history of changes; a partner sees
the response and its approved updates only. Changing a response or adding an update needs
``can_change_response`` (any response for the Head of PVP, own projects for a project lead);
approving an update needs ``approve_update``. Adding an evidence file follows the same rule
as adding an update; downloading one needs the whole tracker (partners never see evidence).
"""

from __future__ import annotations

import dataclasses
import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from vawg.accounts import roles
from vawg.accounts.access import (
    APPROVE,
    READ,
    READ_ALL,
    WRITE_RESPONSES,
    access,
    can_approve,
    can_change_response,
    reads_everything,
    visible_updates,
)
from vawg.accounts.reviews import ApprovalError, approve_update
from vawg.audit.models import AuditAction
from vawg.audit.recording import record_event
from vawg.strategy.evidence import (
    EvidenceError,
    add_evidence_file,
    max_upload_bytes,
    size_message,
    stored_path,
)
from vawg.strategy.models import DeliveryRag, Evidence, Status, Update
from vawg.strategy.responses import (
    CHANGEABLE_FIELDS,
    ResponseChangeError,
    StaleResponseError,
    UpdateError,
    add_update,
    change_response,
    today_in_london,
)
from vawg.strategy.selectors import action_detail
from vawg.web.downloads import no_store
from vawg.web.forms import AddEvidenceForm, AddUpdateForm, ChangeResponseForm
from vawg.web.views.common import current_force

logger = logging.getLogger(__name__)

#: Room for the multipart framing and the title around the file itself.
UPLOAD_OVERHEAD_BYTES = 64 * 1024

STALE_MESSAGE = (
    "Someone else changed this response since you opened it. Your changes have not been "
    "saved. The form below now shows the current response with the changes you made; where "
    "you both changed the same thing, it says what the other person saved. Check it, then "
    "save again."
)


def approver_of_own_updates(user) -> str:
    """Who signs off an update ``user`` writes, as the update form and its banner say it.

    An approver never approves their own update, so a Head of PVP's waits for another one.
    """
    if user.has_perm(roles.APPROVE_UPDATE):
        return "another Head of Protecting Vulnerable People"
    return "the Head of Protecting Vulnerable People"


def _detail_or_404(request, code: str):
    force = current_force(request)
    detail = action_detail(force, code)
    if detail is None:
        raise Http404("No national action has that code.")
    return force, detail


def _visible(request, detail):
    """The detail as the user may see it: a partner sees approved updates, no history."""
    if reads_everything(request.user):
        return detail
    return dataclasses.replace(
        detail,
        updates=visible_updates(request.user, detail.updates),
        evidence=[],
        changes=[],
    )


def _render(
    request,
    detail,
    *,
    update_form=None,
    change_form=None,
    evidence_form=None,
    stale=False,
    conflicts=None,
    status=200,
):
    response = detail.response
    may_change = can_change_response(request.user, response)
    detail = _visible(request, detail)
    if update_form is None and may_change:
        update_form = AddUpdateForm(
            initial={"as_at": today_in_london(), "author_role": _default_role(request, response)}
        )
    if change_form is None and may_change:
        change_form = ChangeResponseForm.for_response(response)
    if evidence_form is None and may_change:
        evidence_form = AddEvidenceForm()
    return render(
        request,
        "web/action.html",
        {
            "detail": detail,
            "action": detail.action,
            "response": response,
            "update_form": update_form,
            "change_form": change_form,
            "evidence_form": evidence_form,
            "max_upload_bytes": max_upload_bytes(),
            "may_change": may_change,
            "approver": approver_of_own_updates(request.user),
            "reads_everything": reads_everything(request.user),
            "approvable": {u.pk for u in detail.updates if can_approve(request.user, u)},
            "stale": stale,
            "stale_message": STALE_MESSAGE,
            "conflicts": conflicts or {},
        },
        status=status,
    )


def merge_stale_change(form: ChangeResponseForm, current) -> tuple[dict[str, object], dict]:
    """The values to show again after a refused save, and the fields both people changed.

    Re-showing the refused post as it stood would, once saved again at the new revision,
    put back the old value of every field this person never touched. So a field they left
    as they opened it shows the ``current`` stored value; a field they changed keeps their
    value, and if the other person changed it too, ``conflicts`` maps its name to what is
    now stored, for the page to show beside it. Without the opened values (an old page) every
    differing field counts as changed on purpose and is shown as a conflict.
    """
    opened = form.opened_values()
    values: dict[str, object] = {}
    conflicts: dict[str, str] = {}
    for name in CHANGEABLE_FIELDS:
        mine = form.cleaned_data[name]
        now = getattr(current, name)
        if name in opened and mine == opened[name]:
            values[name] = now
            continue
        values[name] = mine
        if mine != now and opened.get(name, _UNKNOWN) != now:
            conflicts[name] = _shown(name, now)
    return values, conflicts


_UNKNOWN = object()


def _shown(name: str, value) -> str:
    """A stored response value as the page's labels say it."""
    if name == "status":
        return str(Status(value).label)
    if name == "rag":
        return str(DeliveryRag(value).label)
    if name == "due":
        return f"{value.day} {value:%B %Y}" if value is not None else "no due date"
    return str(value)


def _default_role(request, response) -> str:
    """The role to suggest for an update: the user's first group, else the response owner."""
    group = request.user.groups.order_by("name").first()
    if group is not None:
        return group.name
    return response.owner_role if response is not None else ""


def _changeable_detail(request, code: str):
    """The action's detail, if the user may change its response; else 404 or 403."""
    _, detail = _detail_or_404(request, code)
    if detail.response is None:
        raise Http404("The force has no response to this action yet.")
    if not can_change_response(request.user, detail.response):
        raise PermissionDenied("You can only change the responses of your own projects.")
    return detail


@access(READ)
@require_GET
def action_page(request, code: str):
    _, detail = _detail_or_404(request, code)
    return _render(request, detail)


@access(WRITE_RESPONSES)
@require_POST
def action_add_update(request, code: str):
    detail = _changeable_detail(request, code)
    form = AddUpdateForm(request.POST)
    if form.is_valid():
        try:
            add_update(
                response=detail.response,
                as_at=form.cleaned_data["as_at"],
                text=form.cleaned_data["text"],
                author=request.user,
                author_role=form.cleaned_data["author_role"],
            )
        except UpdateError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(
                request,
                "Your update has been added. It waits for approval by "
                f"{approver_of_own_updates(request.user)}.",
            )
            return redirect(reverse("action", args=[code]) + "#updates")
    return _render(request, detail, update_form=form)


@access(WRITE_RESPONSES)
@require_POST
def action_change_response(request, code: str):
    detail = _changeable_detail(request, code)
    form = ChangeResponseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            change_response(
                response=detail.response,
                expected_revision=data["revision"],
                owner_role=data["owner_role"],
                status=data["status"],
                rag=data["rag"],
                due=data["due"],
                user=request.user,
            )
        except StaleResponseError as error:
            _, detail = _detail_or_404(request, code)
            values, conflicts = merge_stale_change(form, error.response)
            form = ChangeResponseForm.with_values(values, opened=error.response)
            return _render(request, detail, change_form=form, stale=True, conflicts=conflicts)
        except ResponseChangeError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, "The response has been changed.")
            return redirect(reverse("action", args=[code]) + "#response")
    return _render(request, detail, change_form=form)


@access(WRITE_RESPONSES)
@require_POST
@csrf_exempt  # NOTE: checked by csrf_protect below, once the body's size is known to be sane
def action_add_evidence(request, code: str):
    """Upload an evidence file for the action's response.

    Who may change the response, and the declared size of the request, are checked before
    the body is read, so a refused or oversized upload is not written to a temporary file.
    """
    detail = _changeable_detail(request, code)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_upload_bytes() + UPLOAD_OVERHEAD_BYTES:
        return _render(request, detail, evidence_form=AddEvidenceForm.refused(size_message()))
    return _add_evidence(request, code, detail)


@csrf_protect
def _add_evidence(request, code: str, detail):
    form = AddEvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_evidence_file(
                response=detail.response,
                title=form.cleaned_data["evidence_title"],
                upload=form.cleaned_data["evidence_file"],
                user=request.user,
            )
        except EvidenceError as error:
            field = {"title": "evidence_title", "file": "evidence_file"}.get(error.field)
            form.add_error(field, str(error))
        else:
            messages.success(request, "The evidence file has been added.")
            return redirect(reverse("action", args=[code]) + "#response")
    return _render(request, detail, evidence_form=form)


@access(READ_ALL)
@require_GET
def evidence_download(request, pk: int):
    """An uploaded evidence file, as an attachment of its checked type; 404 for a link."""
    force = current_force(request)
    evidence = get_object_or_404(Evidence, pk=pk, response__force=force)
    if not evidence.is_file:
        raise Http404("This evidence is a link, not a file held by the tracker.")
    try:
        handle = stored_path(evidence).open("rb")
    except (OSError, ValueError) as error:
        logger.error("evidence %s: stored file cannot be read (%s)", evidence.pk, type(error))
        raise Http404("The file of this evidence is missing.") from None
    record_event(AuditAction.EXPORT, target=evidence)
    return no_store(
        FileResponse(
            handle,
            as_attachment=True,
            filename=evidence.original_name or "evidence",
            content_type=evidence.content_type,
        )
    )


@access(APPROVE)
@require_POST
def update_approve(request, pk: int):
    """Approve a submitted update (its text is not touched), then back to its action."""
    force = current_force(request)
    update = get_object_or_404(
        Update.objects.select_related("response__action"), pk=pk, response__force=force
    )
    target = reverse("action", args=[update.response.action.code]) + f"#update-{update.pk}"
    try:
        approve_update(update=update, user=request.user)
    except ApprovalError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"The update of {update.as_at.day} {update.as_at:%B %Y} is approved."
        )
    return redirect(target)

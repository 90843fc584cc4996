"""One national action: the force's response, its history, and the forms that change it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from vawg.strategy.responses import (
    ResponseChangeError,
    StaleResponseError,
    UpdateError,
    add_update,
    change_response,
    today_in_london,
)
from vawg.strategy.selectors import action_detail
from vawg.web.forms import AddUpdateForm, ChangeResponseForm
from vawg.web.views.common import current_force

STALE_MESSAGE = (
    "Someone else changed this response since you opened it. Your changes have not been "
    "saved. Check the current response below, then save your changes again if they are "
    "still right."
)


def _detail_or_404(request, code: str):
    force = current_force(request)
    detail = action_detail(force, code)
    if detail is None:
        raise Http404("No national action has that code.")
    return force, detail


def _render(request, detail, *, update_form=None, change_form=None, stale=False):
    response = detail.response
    if update_form is None:
        update_form = AddUpdateForm(
            initial={"as_at": today_in_london(), "author_role": _default_role(request, response)}
        )
    if change_form is None and response is not None:
        change_form = ChangeResponseForm.for_response(response)
    return render(
        request,
        "web/action.html",
        {
            "detail": detail,
            "action": detail.action,
            "response": response,
            "update_form": update_form,
            "change_form": change_form,
            "stale": stale,
            "stale_message": STALE_MESSAGE,
        },
    )


def _default_role(request, response) -> str:
    """The role to suggest for an update: the user's first group, else the response owner."""
    group = request.user.groups.order_by("name").first()
    if group is not None:
        return group.name
    return response.owner_role if response is not None else ""


@require_GET
def action_page(request, code: str):
    _, detail = _detail_or_404(request, code)
    return _render(request, detail)


@require_POST
def action_add_update(request, code: str):
    _, detail = _detail_or_404(request, code)
    if detail.response is None:
        raise Http404("The force has no response to this action yet.")
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
            messages.success(request, "Your update has been added.")
            return redirect(reverse("action", args=[code]) + "#updates")
    return _render(request, detail, update_form=form)


@require_POST
def action_change_response(request, code: str):
    _, detail = _detail_or_404(request, code)
    if detail.response is None:
        raise Http404("The force has no response to this action yet.")
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
            # Keep what the person typed; carry the current revision so that, having seen
            # the response as it now is, they can save their values again on purpose.
            _, detail = _detail_or_404(request, code)
            post = request.POST.copy()
            post["revision"] = str(error.response.revision)
            form = ChangeResponseForm(post)
            form.is_valid()
            return _render(request, detail, change_form=form, stale=True)
        except ResponseChangeError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, "The response has been changed.")
            return redirect(reverse("action", args=[code]) + "#response")
    return _render(request, detail, change_form=form)

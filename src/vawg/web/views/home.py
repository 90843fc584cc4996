"""Home: the force's response to the framework at a glance."""

from __future__ import annotations

import dataclasses

from django.shortcuts import render
from django.views.decorators.http import require_GET

from vawg.accounts.access import READ, access, reads_everything
from vawg.strategy.models import ReviewState, Update
from vawg.strategy.selectors import home_summary
from vawg.web.views.common import current_force


@access(READ)
@require_GET
def home(request):
    force = current_force(request)
    summary = home_summary(force)
    if not reads_everything(request.user):
        # A partner's latest updates are the latest approved ones.
        approved = (
            Update.objects.filter(response__force=force, review_state=ReviewState.APPROVED)
            .select_related("response__action")
            .order_by("-as_at", "-created_at", "-id")[:10]
        )
        summary = dataclasses.replace(summary, latest_updates=list(approved))
    return render(request, "web/home.html", {"summary": summary, "force": force})

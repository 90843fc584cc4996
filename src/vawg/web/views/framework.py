"""The national framework: pillars, actions and the force's response to each."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from vawg.accounts.access import READ, access
from vawg.strategy.selectors import framework_with_responses
from vawg.web.views.common import current_force


@access(READ)
@require_GET
def framework(request):
    force = current_force(request)
    return render(
        request,
        "web/framework.html",
        {"force": force, "view": framework_with_responses(force)},
    )

"""The national framework: pillars, actions and the force's response to each."""

from __future__ import annotations

from django.shortcuts import render

from vawg.strategy.selectors import framework_with_responses
from vawg.web.views.common import current_force


def framework(request):
    force = current_force(request)
    return render(
        request,
        "web/framework.html",
        {"force": force, "view": framework_with_responses(force)},
    )

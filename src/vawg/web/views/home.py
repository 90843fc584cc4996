"""Home: the force's response to the framework at a glance."""

from __future__ import annotations

from django.shortcuts import render

from vawg.strategy.selectors import home_summary
from vawg.web.views.common import current_force


def home(request):
    force = current_force(request)
    return render(request, "web/home.html", {"summary": home_summary(force), "force": force})

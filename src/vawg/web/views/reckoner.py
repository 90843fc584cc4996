"""The ready reckoner: every metric for one month, rated, with the reason for each colour."""

from __future__ import annotations

from django.shortcuts import render

from vawg.web.forms import MonthForm, month_label
from vawg.web.views.common import current_force


def _reckoner_module():
    """The metrics reckoner, imported at call time (None while it is not installed)."""
    try:
        from vawg.metrics import reckoner as module
    except ImportError:
        return None
    return module


def rag_rule() -> str:
    """The RAG rule in words, from the ratings package ("" when it is not there)."""
    try:
        from vawg.ratings import RAG_RULE
    except ImportError:
        return ""
    return str(RAG_RULE)


def months_for(force) -> list[str]:
    """Months with figures for the force, oldest first."""
    module = _reckoner_module()
    return list(module.available_months(force)) if module else []


def reckoner_for(force, month: str | None):
    """The reckoner of ``month`` (None when there is no month or no reckoner module)."""
    module = _reckoner_module()
    if module is None or not month:
        return None
    return module.build_reckoner(force, month)


def reckoner(request):
    force = current_force(request)
    months = months_for(force)
    latest = months[-1] if months else None
    form = MonthForm(request.GET if "month" in request.GET else None, months=months)
    month = latest
    if form.is_bound and form.is_valid():
        month = form.cleaned_data["month"] or latest
    if not form.is_bound:
        form = MonthForm(initial={"month": month}, months=months)
    return render(
        request,
        "web/reckoner.html",
        {
            "force": force,
            "form": form,
            "months": months,
            "month": month,
            "month_label": month_label(month) if month else "",
            "reckoner": reckoner_for(force, month),
            "rag_rule": rag_rule(),
        },
    )

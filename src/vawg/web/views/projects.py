"""The force's improvement projects: route maps, links and their ready reckoner figures."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vawg.accounts.access import READ, access, can_change_project, reads_everything
from vawg.metrics.models import Observation
from vawg.ratings import RAG_RULE
from vawg.reports.reckoner_export import reckoner_document
from vawg.strategy.selectors import project_detail, projects_for, responses_by_action
from vawg.web.forms import month_label
from vawg.web.views.common import current_force, visible_months


@access(READ)
@require_GET
def project_list(request):
    force = current_force(request)
    return render(request, "web/projects.html", {"force": force, "projects": projects_for(force)})


@access(READ)
@require_GET
def project_page(request, code: str):
    force = current_force(request)
    project = project_detail(force, code)
    if project is None:
        raise Http404("No improvement project has that code.")
    # The project's own latest month: its extracts may end before the force-wide files do.
    # A partner sees the latest published month instead.
    periods = Observation.objects.filter(force=force, metric__group=project.code)
    if not reads_everything(request.user):
        periods = periods.filter(period__in=visible_months(request, force))
    month = periods.order_by("-period").values_list("period", flat=True).first()
    rows = (
        [r for r in reckoner_document(force, month).rows if r["group"] == project.code]
        if month
        else []
    )
    responses = responses_by_action(force, project.actions.all())
    actions = [(action, responses.get(action.pk)) for action in project.actions.all()]
    return render(
        request,
        "web/project.html",
        {
            "force": force,
            "project": project,
            "actions": actions,
            "month": month,
            "month_label": month_label(month) if month else "",
            "metric_rows": rows,
            "rag_rule": RAG_RULE,
            "may_change": can_change_project(request.user, project),
        },
    )

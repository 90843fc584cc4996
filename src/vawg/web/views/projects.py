"""The force's improvement projects: route maps, links and their ready reckoner figures."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from vawg.strategy.selectors import project_detail, projects_for, responses_by_action
from vawg.web.forms import month_label
from vawg.web.views.common import current_force
from vawg.web.views.reckoner import months_for, rag_rule, reckoner_for


def project_list(request):
    force = current_force(request)
    return render(request, "web/projects.html", {"force": force, "projects": projects_for(force)})


def project_page(request, code: str):
    force = current_force(request)
    project = project_detail(force, code)
    if project is None:
        raise Http404("No improvement project has that code.")
    months = months_for(force)
    month = months[-1] if months else None
    data = reckoner_for(force, month)
    rows = [row for row in data.rows if row.metric.group == project.code] if data else []
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
            "rag_rule": rag_rule(),
        },
    )

"""The tracker's pages."""

from django.urls import path

from vawg.web.views import (
    actions,
    framework,
    home,
    imports,
    metrics,
    offenders,
    projects,
    reckoner,
    reports,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("framework/", framework.framework, name="framework"),
    path("actions/<str:code>/", actions.action_page, name="action"),
    path("actions/<str:code>/updates/", actions.action_add_update, name="action-add-update"),
    path(
        "actions/<str:code>/response/",
        actions.action_change_response,
        name="action-change-response",
    ),
    path("actions/<str:code>/evidence/", actions.action_add_evidence, name="action-add-evidence"),
    path("evidence/<int:pk>/", actions.evidence_download, name="evidence-download"),
    path("updates/<int:pk>/approve/", actions.update_approve, name="update-approve"),
    path("projects/", projects.project_list, name="projects"),
    path("projects/<str:code>/", projects.project_page, name="project"),
    path("reckoner/", reckoner.reckoner, name="reckoner"),
    path("reckoner/publish/", reckoner.reckoner_publish, name="reckoner-publish"),
    path("metrics/<str:code>/", metrics.metric_page, name="metric"),
    path("imports/", imports.imports, name="imports"),
    path("imports/<int:pk>/", imports.import_job, name="import-job"),
    path("offenders/", offenders.offender_management, name="offenders"),
    path("reports/paper/", reports.paper, name="report-paper"),
    path("reports/returns/", reports.returns, name="report-returns"),
    path("reports/returns/<str:quarter>/", reports.return_page, name="report-return"),
    path(
        "reports/returns/<str:quarter>/submit/",
        reports.return_submit,
        name="report-return-submit",
    ),
]

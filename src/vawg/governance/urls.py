"""Governance pages; the project's URL map includes these under ``governance/``."""

from django.urls import path

from vawg.governance import views

urlpatterns = [
    path("", views.calendar_page, name="governance"),
    path("owed/", views.owed_page, name="governance-owed"),
    path("owed/mine/", views.owed_mine_page, name="governance-owed-mine"),
    path(
        "updates/<int:pk>/acknowledge/",
        views.acknowledge,
        name="governance-acknowledge",
    ),
]

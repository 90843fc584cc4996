"""URL map: the admin, sign-in, and the tracker's pages."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("vawg.accounts.urls")),
    path("governance/", include("vawg.governance.urls")),
    path("", include("vawg.web.urls")),
]

"""URL map: the admin, sign-in, and the tracker's pages."""

from django.contrib import admin
from django.urls import include, path

from vawg.accounts.views import admin_sign_in

urlpatterns = [
    # The admin signs in through the tracker's own pages, second factor included.
    path("admin/login/", admin_sign_in, name="admin-sign-in"),
    path("admin/", admin.site.urls),
    path("", include("vawg.accounts.urls")),
    path("governance/", include("vawg.governance.urls")),
    path("", include("vawg.web.urls")),
]

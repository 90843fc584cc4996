"""Sign in (password, then a code where needed), two-factor set-up, sign out."""

from django.urls import path

from vawg.accounts import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("login/code/", views.sign_in_code, name="login-code"),
    path("login/set-up-two-factor/", views.two_factor_setup, name="two-factor-setup"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("account/two-factor/", views.two_factor, name="two-factor"),
    path("account/two-factor/recovery-codes/", views.recovery_codes, name="recovery-codes"),
]

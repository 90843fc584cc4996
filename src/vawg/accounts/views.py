"""Sign-in and sign-out pages, with Django's own authentication views and GOV.UK templates."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView


class SignInForm(AuthenticationForm):
    """Django's sign-in form with messages in the GOV.UK style."""

    error_messages: ClassVar[dict[str, str]] = {
        **AuthenticationForm.error_messages,
        "invalid_login": ("Enter a correct username and password. Both are case-sensitive."),
    }


class SignInView(LoginView):
    """Sign in. Django's LoginView is already exempt from the login-required middleware."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(LogoutView):
    """Sign out, by POST only (Django refuses GET), then back to the sign-in page."""

"""Sign-in forms, with the GOV.UK Design System's error messages."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from vawg.web.forms import GovukForm

LOCKED_MESSAGE = (
    "You have entered the wrong details too many times. To protect the account, signing in "
    "from here is paused: wait {minutes} minutes, then try again. If you need to sign in "
    "sooner, ask your administrator."
)
#: At the password step: says no more than that the account is paused, so a guesser cannot
#: tell from it whether someone else got as far as the code.
ACCOUNT_PAUSED_MESSAGE = (
    "Signing in to this account is paused to protect it. Ask your administrator to unlock it."
)
CODES_LOCKED_MESSAGE = (
    "You have entered the wrong code too many times. To protect the account, signing in to it "
    "is paused until your administrator unlocks it."
)


class SignInForm(AuthenticationForm):
    """Django's sign-in form with messages in the GOV.UK style."""

    error_messages: ClassVar[dict[str, str]] = {
        **AuthenticationForm.error_messages,
        "invalid_login": ("Enter a correct username and password. Both are case-sensitive."),
    }


class CodeForm(GovukForm):
    """A code from the authenticator app (or, at sign-in, a recovery code)."""

    code = forms.CharField(
        strip=True,
        max_length=40,
        error_messages={
            "required": "Enter the code",
            "max_length": "Enter the code shown in your authenticator app",
        },
    )

"""Sign-in in two steps (password, then a code for those who need a second factor), setting
up an authenticator app, recovery codes, and sign-out.

A person who needs a second factor is not signed in after the password: the session only
holds a short-lived "pending" mark until the code (or a recovery code) is right. Wrong
passwords count towards the time-limited lockout in ``throttle``; wrong codes are counted on
the authenticator app and lock the account until an administrator unlocks it, so the right
password never buys more guesses at the code.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from vawg.accounts import throttle, twofactor
from vawg.accounts.access import SIGNED_IN, access
from vawg.accounts.forms import (
    ACCOUNT_PAUSED_MESSAGE,
    CODES_LOCKED_MESSAGE,
    LOCKED_MESSAGE,
    CodeForm,
    SignInForm,
)
from vawg.accounts.middleware import VERIFIED_KEY, needs_second_factor
from vawg.accounts.models import TOTPDevice
from vawg.accounts.roles import requires_two_factor
from vawg.audit.recording import acting_for

PENDING_KEY = "vawg_pending_sign_in"
SETUP_SECRET_KEY = "vawg_setup_secret"  # noqa: S105 (a session key's name, not a secret)
NEW_CODES_KEY = "vawg_new_recovery_codes"
NEXT_KEY = "vawg_after_setup"
#: Seconds a person has, after the right password, to enter their code.
PENDING_SECONDS = 300


def _locked_message() -> str:
    return LOCKED_MESSAGE.format(minutes=int(throttle.window().total_seconds() // 60))


class SignInView(LoginView):
    """Step one: username and password, refused while the username is locked out here."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        ip = throttle.client_ip(request)
        # Neither is checked against the password: a locked-out guesser learns nothing.
        if username and twofactor.username_is_locked(username):
            return self._locked(request, ACCOUNT_PAUSED_MESSAGE)
        if username and throttle.is_locked(username, ip):
            return self._locked(request)
        form = self.get_form()
        if form.is_valid():
            return self.form_valid(form)
        if username and request.POST.get("password"):
            throttle.record_failure(username, ip)
            if throttle.is_locked(username, ip):
                return self._locked(request)
        return self.form_invalid(form)

    def _locked(self, request, message: str | None = None):
        context = self.get_context_data(form=self.get_form_class()(request), locked=True)
        context["locked_message"] = message or _locked_message()
        return self.render_to_response(context, status=429)

    def form_valid(self, form):
        user = form.get_user()
        if not needs_second_factor(user):
            # Cleared only by a full sign-in: the password alone, for someone who also needs
            # a code, proves too little to wipe the count.
            throttle.clear(user.get_username(), throttle.client_ip(self.request))
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
        }
        if twofactor.has_device(user):
            return redirect("login-code")
        return redirect("two-factor-setup")


def _pending_user(request):
    """The user who gave the right password moments ago, or None."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return get_user_model().objects.filter(pk=pending["user"], is_active=True).first()


def _finish_sign_in(request, user, *, verified: bool) -> str:
    """Sign ``user`` in from the pending mark; return where to go next."""
    pending = request.session.pop(PENDING_KEY, {})
    auth_login(request, user, backend=pending.get("backend"))
    request.session[VERIFIED_KEY] = verified
    target = pending.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    return target


def _render_code_page(request, template, context, *, status=200):
    form = context.get("form")
    context["errors"] = form.error_list() if form is not None and form.errors else []
    if context.get("codes_locked"):
        context["locked"] = True
        context["errors"] = [("", CODES_LOCKED_MESSAGE)]
    elif context.get("locked"):
        context["errors"] = [("", _locked_message())]
    return render(request, template, context, status=status)


def _codes_locked(request):
    request.session.pop(PENDING_KEY, None)
    return _render_code_page(
        request, "accounts/sign_in_code.html", {"form": None, "codes_locked": True}, status=429
    )


@login_not_required
@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    """Step two: a code from the authenticator app, or a recovery code."""
    user = _pending_user(request)
    if user is None:
        messages.info(request, "Sign in again: the time to enter your code ran out.")
        return redirect("login")
    if request.method == "GET":
        return _render_code_page(request, "accounts/sign_in_code.html", {"form": CodeForm()})

    ip = throttle.client_ip(request)
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None:  # removed by an administrator since the password step
        return redirect("two-factor-setup")
    if twofactor.is_locked(device):
        return _codes_locked(request)
    if throttle.is_locked(user.get_username(), ip):
        request.session.pop(PENDING_KEY, None)
        return _render_code_page(
            request, "accounts/sign_in_code.html", {"form": None, "locked": True}, status=429
        )
    form = CodeForm(request.POST)
    if form.is_valid():
        code = form.cleaned_data["code"]
        used_recovery = False
        ok = twofactor.verify_totp(device, code)
        if not ok and not code.isdigit():
            ok = used_recovery = twofactor.use_recovery_code(user, code)
        if ok:
            twofactor.clear_code_failures(device)
            throttle.clear(user.get_username(), ip)
            target = _finish_sign_in(request, user, verified=True)
            if used_recovery:
                left = twofactor.recovery_codes_left(user)
                messages.info(
                    request,
                    f"You signed in with a recovery code. You have {left} left: make new ones "
                    "on the two-factor authentication page.",
                )
            return redirect(target)
        form.add_error("code", "The code is not right. Enter the code your app shows now")
        if twofactor.record_code_failure(device):
            return _codes_locked(request)
    return _render_code_page(request, "accounts/sign_in_code.html", {"form": form})


def _setup_subject(request):
    """Who is setting up an app: the pending user (with none yet), or the signed-in user."""
    if request.user.is_authenticated:
        return request.user, False
    user = _pending_user(request)
    if user is None or twofactor.has_device(user):
        # A pending person who has an app must use it: setting up another would bypass it.
        return None, False
    return user, True


@login_not_required
@never_cache
@sensitive_variables("secret")
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Set up an authenticator app: QR code and secret, then a code to prove it works."""
    user, pending = _setup_subject(request)
    if user is None:
        return redirect("login")
    if not pending and twofactor.has_device(user):
        return redirect("two-factor")

    secret = request.session.get(SETUP_SECRET_KEY)
    if not secret:
        secret = request.session[SETUP_SECRET_KEY] = twofactor.new_secret()
    form = CodeForm(request.POST) if request.method == "POST" else CodeForm()
    locked = False
    status = 200
    if request.method == "POST":
        ip = throttle.client_ip(request)
        if throttle.is_locked(user.get_username(), ip):
            locked, status = True, 429
        elif form.is_valid():
            # A pending user is not signed in yet (the request's user is anonymous); the trail
            # must still say who set up the app.
            with acting_for(user):
                codes = twofactor.enrol(user, secret=secret, code=form.cleaned_data["code"])
            if codes is not None:
                throttle.clear(user.get_username(), ip)
                request.session.pop(SETUP_SECRET_KEY, None)
                if pending:
                    target = _finish_sign_in(request, user, verified=True)
                else:
                    request.session[VERIFIED_KEY] = True
                    target = reverse("two-factor")
                request.session[NEW_CODES_KEY] = codes
                request.session[NEXT_KEY] = target
                return redirect("recovery-codes")
            form.add_error("code", "The code is not right. Enter the code your app shows now")
            throttle.record_failure(user.get_username(), ip)
            if throttle.is_locked(user.get_username(), ip):
                locked, status = True, 429
        if locked and pending:
            request.session.pop(PENDING_KEY, None)
    uri = twofactor.provisioning_uri(secret, user.get_username())
    return _render_code_page(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": None if locked else form,
            "locked": locked,
            "pending": pending,
            "required": requires_two_factor(user),
            "qr": twofactor.qr_data_uri(uri),
            "secret": twofactor.grouped(secret),
        },
        status=status,
    )


@never_cache
@access(SIGNED_IN)
@require_GET
def recovery_codes(request):
    """The new recovery codes, shown once."""
    codes = request.session.pop(NEW_CODES_KEY, None)
    target = request.session.pop(NEXT_KEY, None) or reverse("two-factor")
    if not codes:
        return redirect("two-factor")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": target})


@never_cache
@access(SIGNED_IN)
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Your second factor: whether it is set up, recovery codes left, make new codes."""
    user = request.user
    device = getattr(user, "totp_device", None) if twofactor.has_device(user) else None
    if request.method == "POST":
        if device is None:
            raise PermissionDenied
        request.session[NEW_CODES_KEY] = twofactor.new_recovery_codes(user)
        request.session[NEXT_KEY] = reverse("two-factor")
        return redirect("recovery-codes")
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": device,
            "required": requires_two_factor(user),
            "codes_left": twofactor.recovery_codes_left(user) if device else 0,
        },
    )


@login_not_required
@require_GET
def admin_sign_in(request):
    """The admin's own sign-in page is replaced by ours, so it cannot skip the second factor."""
    if request.user.is_authenticated:
        raise PermissionDenied  # signed in but not staff: sending them to sign in would loop
    target = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('login')}?{urlencode({'next': target})}")


class SignOutView(LogoutView):
    """Sign out, by POST only (Django refuses GET), then back to the sign-in page."""


# Signing out needs no rule of its own: anyone signed in may.
SignOutView.vawg_access = SIGNED_IN

"""Every signed-in request passes here: session lifetime, second factor, and the view's rule.

Place after ``LoginRequiredMiddleware`` (which sends anonymous requests to sign in).
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse

from vawg.accounts.access import RESTRICTED, rule_for
from vawg.accounts.roles import requires_two_factor
from vawg.accounts.twofactor import has_device

logger = logging.getLogger(__name__)

#: Session keys: the second factor was checked; when the person signed in (epoch seconds).
VERIFIED_KEY = "vawg_two_factor_verified"
SIGNED_IN_AT_KEY = "vawg_signed_in_at"


def needs_second_factor(user) -> bool:
    """Whether ``user``'s session must have passed a second factor."""
    return requires_two_factor(user) or has_device(user)


def _made_restricted(view) -> bool:
    return bool(
        getattr(view, "vawg_restricted", False)
        or getattr(getattr(view, "view_class", None), "vawg_restricted", False)
    )


def _to_sign_in(request) -> HttpResponseRedirect:
    logout(request)
    return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': request.path})}")


class AccessPolicyMiddleware:
    """Refuse what a signed-in user may not do, closed by default.

    - A session older than ``VAWG_SESSION_MAX_AGE`` seconds ends, however active (the idle
      timeout is the session cookie's own age, renewed on every request).
    - A user who needs a second factor and whose session has not passed one is signed out
      (for example a person made an administrator while signed in).
    - A view with no access rule is refused (403), so a page nobody decided on stays shut;
      so is a view with the restricted rule not made by ``restricted.restricted``.
      Views marked ``login_not_required`` (sign-in steps) and the admin (which checks staff
      status and model permissions itself) keep their own checks.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None  # LoginRequiredMiddleware has sent protected pages to sign-in

        started = request.session.get(SIGNED_IN_AT_KEY)
        max_age = int(getattr(settings, "VAWG_SESSION_MAX_AGE", 10 * 3600))
        if started is None or time.time() - float(started) > max_age:
            return _to_sign_in(request)
        if needs_second_factor(user) and request.session.get(VERIFIED_KEY) is not True:
            return _to_sign_in(request)

        match = request.resolver_match
        if not getattr(view_func, "login_required", True) or (
            match is not None and match.app_name == "admin"
        ):
            return None
        rule = rule_for(view_func, match.url_name if match else None)
        if rule is None:
            logger.error("refused: view %s has no access rule", match.view_name if match else "?")
            raise PermissionDenied
        if rule is RESTRICTED and not _made_restricted(view_func):
            # A restricted page that would not ask for a purpose nor log the visit.
            logger.error(
                "refused: view %s is not made by restricted()", match.view_name if match else "?"
            )
            raise PermissionDenied
        if not rule.allows(user):
            raise PermissionDenied
        return None

"""What every page view needs: the force being shown, and the months a user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from vawg.accounts.access import published_months, reads_everything
from vawg.metrics.reckoner import available_months
from vawg.strategy.models import Force
from vawg.strategy.selectors import default_force
from vawg.web.forms import month_label


def current_force(request) -> Force:
    """The force whose work the pages show.

    TODO: let a user choose among forces (e.g. a national coordinator); the demo holds one.
    """
    force = default_force()
    if force is None:
        raise Http404("No force is loaded yet: run `vawg init` to load the demo data.")
    return force


def visible_months(request, force: Force) -> list[str]:
    """The months with figures the user may see: all, or for a partner the published ones."""
    months = available_months(force)
    if reads_everything(request.user):
        return months
    published = set(published_months(force))
    return [m for m in months if m in published]


def check_month_visible(request, force: Force, month: str | None) -> None:
    """Refuse (403, with the reason) a month the user may not see because it is unpublished."""
    if month and not reads_everything(request.user) and month not in visible_months(request, force):
        raise PermissionDenied(
            f"The ready reckoner for {month_label(month)} has not been published. "
            "Partners see published months only."
        )

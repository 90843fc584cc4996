"""What every page view needs: the force being shown."""

from __future__ import annotations

from django.http import Http404

from vawg.strategy.models import Force
from vawg.strategy.selectors import default_force


def current_force(request) -> Force:
    """The force whose work the pages show.

    TODO: let a user choose among forces (e.g. a national coordinator); the demo holds one.
    """
    force = default_force()
    if force is None:
        raise Http404("No force is loaded yet: run `vawg init` to load the demo data.")
    return force

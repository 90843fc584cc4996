"""Offender management: the restricted module of offender managers.

The perpetrator prioritisation list is not built yet; this index page holds no personal data
but goes through the whole restricted path (second factor, stated purpose, logged visit), so
the pages that come next start from it.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from vawg.accounts.restricted import restricted

#: What the audit trail names a visit to this page.
INDEX = "offender management index"


@restricted(INDEX)
@require_http_methods(["GET", "POST"])  # POST: the purpose form, answered by restricted()
def offender_management(request):
    """The module's index: what it will hold, and the purpose given for this visit."""
    # TODO: the perpetrator prioritisation list (recency, frequency, gravity), each record's
    # page through restricted(lambda request, pk: ...), and its export as ?export=csv.
    return render(
        request,
        "web/offenders.html",
        {"purpose": request.vawg_restricted_purpose},
    )

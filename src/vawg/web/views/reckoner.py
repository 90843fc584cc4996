"""The ready reckoner: every metric for one month, rated, with the reason for each colour.

A published month shows its frozen rows and lists what later imports have restated. A
partner sees (and downloads) published months only; publishing needs ``publish_reckoner``.
Publishing cannot be undone, so ``/reckoner/publish/?month=`` first shows (GET) what will be
frozen with a warning; only the POST from that page publishes. A PDF or workbook asked for a
month that is not on the list is refused (400, the month field's error), never swapped.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from vawg.accounts.access import PUBLISH, READ, access, reads_everything
from vawg.dates import long_date
from vawg.metrics.models import ReckonerPublication
from vawg.metrics.publication import AlreadyPublishedError, publish_reckoner, restatements
from vawg.metrics.reckoner import available_months, default_month
from vawg.ratings import RAG_RULE
from vawg.reports.reckoner_export import reckoner_document, reckoner_pdf, reckoner_xlsx
from vawg.web.downloads import attachment
from vawg.web.forms import MonthForm, month_label
from vawg.web.views.common import check_month_visible, current_force, visible_months

_EXPORTS = {
    "pdf": ("application/pdf", reckoner_pdf),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        reckoner_xlsx,
    ),
}


def _chosen_month(request, months: list[str], latest: str | None) -> tuple[MonthForm, str | None]:
    if "month" not in request.GET:
        return MonthForm(initial={"month": latest}, months=months), latest
    form = MonthForm(request.GET, months=months)
    if form.is_valid():
        return form, form.cleaned_data["month"] or latest
    return form, latest


@access(READ)
@require_GET
def reckoner(request):
    force = current_force(request)
    # A month the user may not see is refused outright, not quietly swapped for another.
    check_month_visible(request, force, request.GET.get("month"))
    months = visible_months(request, force)
    preferred = default_month(force)
    latest = preferred if preferred in months else (months[-1] if months else None)
    form, month = _chosen_month(request, months, latest)
    export = request.GET.get("export")
    # A download for a month that is not on the list is refused with the field's error: the
    # page falls back to the latest month, a file must never be another month than asked.
    refused = export in _EXPORTS and form.is_bound and not form.is_valid()
    if refused:
        asked = request.GET.get("month", "")
        if month_label(asked) != asked:  # a real month, just not one with figures
            choose = form.fields["month"].error_messages["invalid_choice"]
            why = f"There are no figures to download for {month_label(asked)}."
            form.errors["month"] = form.error_class([f"{why} {choose}"])
    document = reckoner_document(force, month) if month else None

    if document is not None and export in _EXPORTS and not refused:
        content_type, render_file = _EXPORTS[export]
        return attachment(
            render_file(document),
            content_type=content_type,
            filename=f"ready-reckoner-{force.slug}-{month}.{export}",
        )

    publication = (
        ReckonerPublication.objects.filter(force=force, month=month).first() if month else None
    )
    groups = _groups(document.rows if document else [])
    return render(
        request,
        "web/reckoner.html",
        {
            "force": force,
            "form": form,
            "months": months,
            "month": month,
            "month_label": month_label(month) if month else "",
            "groups": groups,
            "tables": _tables(month, groups),
            "publication": publication,
            # Restated figures are data published since: not for those who read the
            # published subset only.
            "restatements": (
                restatements(publication) if publication and reads_everything(request.user) else []
            ),
            "rag_rule": RAG_RULE,
            "may_publish": PUBLISH.allows(request.user),
        },
        status=400 if refused else 200,
    )


def _tables(month: str | None, groups: list[tuple[str, list[dict]]]) -> str:
    """The reckoner's tables as HTML, cached under a hash of exactly what they show.

    Rendering some sixty rows is most of the page's cost; keyed on the rows themselves, a
    cached table can never show figures other than the ones just read.
    """
    if not groups:
        return ""
    digest = hashlib.sha1(repr((month, groups)).encode(), usedforsecurity=False).hexdigest()
    key = f"reckoner-tables:{digest}"
    html = cache.get(key)
    if html is None:
        context = {"groups": groups, "month": month, "rag_rule": RAG_RULE}
        html = render_to_string("web/includes/reckoner_tables.html", context)
        cache.set(key, html, timeout=24 * 60 * 60)
    return mark_safe(html)  # noqa: S308 - rendered above by the autoescaping template engine


def _groups(rows) -> list[tuple[str, list[dict]]]:
    groups: list[tuple[str, list[dict]]] = []
    for row in rows:
        if not groups or groups[-1][0] != row["group_title"]:
            groups.append((row["group_title"], []))
        groups[-1][1].append(row)
    return groups


@access(PUBLISH)
@require_http_methods(["GET", "POST"])
def reckoner_publish(request):
    """GET: the confirmation page (what will be frozen, and that it is final). POST: publish."""
    force = current_force(request)
    data = request.POST if request.method == "POST" else request.GET
    month = data.get("month", "")
    if month not in available_months(force):
        messages.error(request, "Choose a month that has figures before publishing.")
        return redirect("reckoner")
    back = f"{reverse('reckoner')}?month={month}"
    existing = ReckonerPublication.objects.filter(force=force, month=month).first()
    if request.method == "GET":
        if existing is not None:
            messages.error(
                request,
                f"The ready reckoner for {month_label(month)} was published on "
                f"{long_date(timezone.localtime(existing.published_at).date())}; "
                "a published month is never replaced.",
            )
            return redirect(back)
        document = reckoner_document(force, month)
        rags = [row["rag"] for row in document.rows]
        return render(
            request,
            "web/reckoner_publish.html",
            {
                "force": force,
                "month": month,
                "month_label": month_label(month),
                "groups": _groups(document.rows),
                "metrics": len(document.rows),
                "counts": [(rag, rags.count(rag)) for rag in ("red", "amber", "green")],
                "back": back,
                "rag_rule": RAG_RULE,
            },
        )
    try:
        publish_reckoner(force=force, month=month, user=request.user)
    except AlreadyPublishedError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The ready reckoner for {month_label(month)} is published.")
    return redirect(back)

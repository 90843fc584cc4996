"""The ready reckoner page: month chooser, figures formatted by unit, RAG with its reason."""

from __future__ import annotations

import html as html_lib

import pytest
from django.urls import reverse

from vawg.metrics.models import Observation
from vawg.metrics.reckoner import available_months, build_reckoner
from vawg.web.templatetags.vawg import RAG_LABELS, signal_label


def row_html(page: str, code: str) -> str:
    return page.split(f'data-metric="{code}"', 1)[1].split("</tr>", 1)[0]


def test_reckoner_defaults_to_the_latest_month(signed_in, world):
    assert available_months(world.force)[-1] == "2024-08"
    page = signed_in.get(reverse("reckoner")).content.decode()
    assert "Ready reckoner: August 2024" in page
    assert '<option value="2024-08" selected>August 2024</option>' in page
    assert '<option value="2024-01">January 2024</option>' in page
    # Figures by unit: 1000 + 50*7 crimes; 370 arrests of 1,350 = 27.4%.
    count = row_html(page, "da-recorded")
    assert ">1,350<" in count
    assert "+50" in count
    percent = row_html(page, "da-arrest-rate")
    assert ">27.4%<" in percent
    assert "370 / 1,350" in percent
    # 27.41% against 360 / 1,300 = 27.69% the month before: down 0.3 points.
    assert "\u22120.3 points" in percent


def test_reckoner_shows_each_rating_with_its_reason_and_the_rule(signed_in, world):
    from vawg.ratings import RAG_RULE

    reckoner = build_reckoner(world.force, "2024-08")
    page = signed_in.get(reverse("reckoner")).content.decode()
    assert html_lib.escape(RAG_RULE, quote=True) in page or RAG_RULE in page
    assert "Project Kaizen: domestic abuse" in page
    for row in reckoner.rows:
        cells = row_html(page, row.metric.code)
        assert f"vawg-rag--{row.rating.rag}" in cells
        assert RAG_LABELS[row.rating.rag] in cells
        assert html_lib.escape(row.rating.reason) in cells
        assert signal_label(row.rating.variation) in cells
        assert signal_label(row.rating.assurance) in cells


def test_a_cached_table_never_outlives_the_figures_it_shows(signed_in, world):
    # The tables are cached (they are most of the page's cost); a recomputed figure must
    # show at once, on the very next page.
    assert ">1,350<" in row_html(signed_in.get(reverse("reckoner")).content.decode(), "da-recorded")
    observation = Observation.objects.get(metric=world.metric_count, period="2024-08")
    observation.value = observation.numerator = 1402
    observation.save()
    page = signed_in.get(reverse("reckoner")).content.decode()
    assert ">1,402<" in row_html(page, "da-recorded")
    assert "+102" in row_html(page, "da-recorded")


def test_reckoner_for_a_chosen_month(signed_in, world):
    page = signed_in.get(reverse("reckoner"), {"month": "2024-01"}).content.decode()
    assert "Ready reckoner: January 2024" in page
    assert '<option value="2024-01" selected>' in page
    count = row_html(page, "da-recorded")
    assert ">1,000<" in count
    assert "No comparison" in count  # no December 2023 figure


def test_reckoner_refuses_a_month_not_in_the_list(signed_in, world):
    response = signed_in.get(reverse("reckoner"), {"month": "1999-01"})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="#month">Select a month from the list</a>' in page
    assert "Ready reckoner: August 2024" in page


def test_reckoner_without_figures_says_so(signed_in, db):
    from vawg.strategy.models import Force

    Force.objects.create(slug="cambridgeshire", name="Cambridgeshire Constabulary")
    page = signed_in.get(reverse("reckoner")).content.decode()
    assert "No metric figures have been imported yet." in page


@pytest.mark.parametrize("export", ["pdf", "xlsx"])
@pytest.mark.parametrize(
    ("month", "message"),
    [
        (
            "2030-01",
            "There are no figures to download for January 2030. Select a month from the list",
        ),
        (
            "1999-12",
            "There are no figures to download for December 1999. Select a month from the list",
        ),
        ("2024-13", "Select a month from the list"),
        ("latest", "Select a month from the list"),
    ],
)
def test_export_of_a_month_without_figures_is_refused_not_swapped(
    signed_in, world, export, month, message
):
    response = signed_in.get(reverse("reckoner"), {"month": month, "export": export})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response  # no file at all, least of all 2024-08's
    page = response.content.decode()
    assert "<title>Error: " in page
    assert f'<a href="#month">{message}</a>' in page
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}</p>' in page


def test_export_without_a_month_is_the_month_the_page_shows(signed_in, world):
    # Nothing asked, nothing swapped: the file is named for (and holds) the latest month.
    response = signed_in.get(reverse("reckoner"), {"export": "pdf"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="ready-reckoner-cambridgeshire-2024-08.pdf"'
    )
    # Police data: no cache may keep a copy (as for evidence downloads).
    assert response["Cache-Control"] == "private, no-store"

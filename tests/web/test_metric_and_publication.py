"""The metric page (chart, data table, sources) and publishing / exporting the reckoner."""

from __future__ import annotations

import io
import re

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from vawg.metrics.models import Observation, ReckonerPublication


def test_metric_page_shows_definition_chart_and_every_figure(signed_in, world):
    page = signed_in.get(reverse("metric", args=["da-arrest-rate"])).content.decode()
    assert '<h1 class="govuk-heading-xl">Domestic abuse arrest rate</h1>' in page
    assert "<svg" in page  # the control chart, inline
    observations = Observation.objects.filter(metric__code="da-arrest-rate")
    assert f"{observations.count()} months, newest first" in page
    for observation in observations:
        assert f">{observation.period}</th>" in page
    assert "The query that computes it" in page


def test_metric_page_for_an_unknown_metric_is_404(signed_in, world):
    assert signed_in.get(reverse("metric", args=["no-such-metric"])).status_code == 404


def test_reckoner_exports_download_as_files(signed_in, world):
    pdf = signed_in.get(reverse("reckoner"), {"month": "2024-08", "export": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="ready-reckoner-cambridgeshire-2024-08.pdf"' in pdf["Content-Disposition"]
    xlsx = signed_in.get(reverse("reckoner"), {"month": "2024-08", "export": "xlsx"})
    workbook = load_workbook(io.BytesIO(xlsx.content))
    ids = [row[1] for row in workbook.active.iter_rows(min_row=5, values_only=True)]
    assert ids == ["da-recorded", "da-arrest-rate"]


def test_publishing_asks_for_confirmation_first(signed_in, world):
    reckoner = signed_in.get(reverse("reckoner"), {"month": "2024-08"}).content.decode()
    # The reckoner page only links to the confirmation page: no form publishes from it.
    assert f'href="{reverse("reckoner-publish")}?month=2024-08"' in reckoner
    assert 'method="post" action="' + reverse("reckoner-publish") not in reckoner

    page = signed_in.get(reverse("reckoner-publish"), {"month": "2024-08"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Publish the ready reckoner for August 2024?" in html
    assert "Publishing cannot be undone" in html
    assert "freezes the 2 metrics below" in html
    assert ">1,350<" in html  # the figure that will be frozen
    assert 'name="month" value="2024-08"' in html
    assert not ReckonerPublication.objects.exists()  # looking is not publishing


def test_confirming_an_unknown_or_published_month_goes_back(signed_in, world):
    unknown = signed_in.get(reverse("reckoner-publish"), {"month": "1999-01"}, follow=True)
    assert "Choose a month that has figures before publishing." in unknown.content.decode()
    signed_in.post(reverse("reckoner-publish"), {"month": "2024-08"})
    again = signed_in.get(reverse("reckoner-publish"), {"month": "2024-08"}, follow=True)
    published = timezone.localtime(ReckonerPublication.objects.get().published_at)
    # "4 December 2026", not "04 December 2026".
    assert (
        f"was published on {published.day} {published:%B %Y}; a published month is never "
        "replaced." in again.content.decode()
    )
    assert again.redirect_chain[-1][0] == reverse("reckoner") + "?month=2024-08"


def test_publishing_freezes_the_month_and_shows_restatements(signed_in, world):
    response = signed_in.post(reverse("reckoner-publish"), {"month": "2024-08"})
    assert response.status_code == 302
    publication = ReckonerPublication.objects.get(force=world.force, month="2024-08")
    assert len(publication.rows) == 2

    observation = Observation.objects.get(metric__code="da-recorded", period="2024-08")
    observation.numerator = observation.value = 1400
    observation.save()

    page = signed_in.get(reverse("reckoner"), {"month": "2024-08"}).content.decode()
    assert "The figures below are as the board saw them" in page
    assert "restate 2 figures" in page  # value and numerator of da-recorded
    assert ">1,350<" in page  # the published figure still shown

    again = signed_in.post(reverse("reckoner-publish"), {"month": "2024-08"}, follow=True)
    assert "a published month is never replaced" in again.content.decode()
    assert ReckonerPublication.objects.count() == 1


def _restatement_rows(page: str) -> list[list[str]]:
    table = page.split('id="restatements"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody", 1)[1]
    return [
        re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in body.split("</tr>") if "<td" in row
    ]


def test_restatements_show_figures_as_the_table_does(signed_in, world):
    signed_in.post(reverse("reckoner-publish"), {"month": "2024-08"})
    recorded = Observation.objects.get(metric__code="da-recorded", period="2024-08")
    recorded.numerator = recorded.value = 1269.0
    recorded.save()
    rate = Observation.objects.get(metric__code="da-arrest-rate", period="2024-08")
    rate.numerator = 400.0  # of 1,350: 29.6%, was 370 (27.4%)
    rate.value = 100 * 400.0 / rate.denominator
    rate.save()

    page = signed_in.get(reverse("reckoner"), {"month": "2024-08"}).content.decode()
    rows = _restatement_rows(page)
    by_field = {(title, field): (published, now) for title, field, published, now in rows}
    assert by_field[("Domestic abuse crimes recorded", "Value")] == ("1,350", "1,269")
    assert by_field[("Domestic abuse crimes recorded", "Numerator")] == ("1,350", "1,269")
    assert by_field[("Domestic abuse arrest rate", "Value")] == ("27.4%", "29.6%")
    assert by_field[("Domestic abuse arrest rate", "Numerator")] == ("370", "400")
    # Nothing raw: no float repr with its long tail of digits, no "1269.0".
    assert not re.search(r"\d\.\d{4,}", "".join(map("".join, rows)))
    assert "1269.0" not in page


def test_anonymous_users_cannot_see_metrics_or_exports(client, world):
    for url in (
        reverse("metric", args=["da-arrest-rate"]),
        reverse("reckoner") + "?month=2024-08&export=xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

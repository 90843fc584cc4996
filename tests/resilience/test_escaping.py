"""Text people type is stored as typed and shown as text, never run as markup or formula.

A narrative update (and the author's role) carrying ``<script>``, an attribute break-out and
a spreadsheet formula is posted through the action page, stored unchanged, and shown escaped
on the action page and the home page. The project page shows no narrative updates; the same
strings are put in the project's description and a milestone title, which it does show. The
ready reckoner exports carry no narrative either: the strings go in the metric titles and
group title (catalogue text) that the XLSX and PDF do print, where the XLSX must hold them as
text (a formula-like title a string cell, no cell a formula) and the PDF must print them literally.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from vawg.strategy.models import Milestone, Update
from xlsx_xml import xml_cells

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://x")'
PAYLOADS = (SCRIPT, BREAKOUT, FORMULA)
# How Django's autoescape writes each one in HTML.
ESCAPED = {
    SCRIPT: "&lt;script&gt;alert(1)&lt;/script&gt;",
    BREAKOUT: "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
    FORMULA: "=HYPERLINK(&quot;http://x&quot;)",
}
RAW_MARKUP = (SCRIPT, "<img src=x", 'HYPERLINK("http://x")')


@pytest.fixture
def admin_client(client, db):
    """A superuser, signed in past any second factor: allowed every page."""
    user = get_user_model().objects.create_superuser(
        username="escaping-admin", password="correct-horse-battery-staple"
    )
    try:
        from vawg.accounts.testing import sign_in
    except ImportError:  # before access control existed
        client.force_login(user)
    else:
        sign_in(client, user)
    return client


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _assert_escaped(html: str, where: str, payloads=PAYLOADS) -> None:
    for raw in RAW_MARKUP:
        assert raw not in html, f"{where}: {raw!r} appears unescaped"
    for payload in payloads:
        assert ESCAPED[payload] in html, f"{where}: {payload!r} is not shown escaped"


def test_update_text_is_stored_as_typed_and_shown_escaped(admin_client, world) -> None:
    text = "\n".join(PAYLOADS)
    role = SCRIPT
    response = admin_client.post(
        reverse("action-add-update", args=["nfd21-1.1"]),
        {"as_at-day": "2", "as_at-month": "1", "as_at-year": "2025", "text": text,
         "author_role": role},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    update = Update.objects.get(text=text)  # stored exactly as typed, not pre-escaped
    assert update.author_role == role

    _assert_escaped(_page(admin_client, reverse("action", args=["nfd21-1.1"])), "action page")
    _assert_escaped(_page(admin_client, reverse("home")), "home page")


def test_project_text_is_shown_escaped(admin_client, world) -> None:
    world.project.description = "\n".join(PAYLOADS)
    world.project.save()
    Milestone.objects.filter(project=world.project, code="m2").update(title=BREAKOUT)
    html = _page(admin_client, reverse("project", args=[world.project.code]))
    _assert_escaped(html, "project page")


@pytest.fixture
def hostile_metrics(world):
    world.metric_count.title = SCRIPT
    world.metric_count.group_title = BREAKOUT
    world.metric_count.save()
    world.metric_percent.title = FORMULA
    world.metric_percent.group_title = BREAKOUT
    world.metric_percent.save()
    return world


def test_reckoner_page_shows_catalogue_text_escaped(admin_client, hostile_metrics) -> None:
    _assert_escaped(_page(admin_client, reverse("reckoner")), "reckoner page")


def test_reckoner_xlsx_holds_text_never_formulas(admin_client, hostile_metrics) -> None:
    response = admin_client.get(reverse("reckoner"), {"month": "2024-08", "export": "xlsx"})
    assert response.status_code == 200
    data = response.content
    workbook = load_workbook(io.BytesIO(data))
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row if c.value]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert not formulas, f"formula cells in the export: {formulas}"
    values = {c.value for c in cells if isinstance(c.value, str)}
    assert FORMULA in values, "the formula-like title is not kept as written"
    assert "'" + FORMULA not in values, "an apostrophe was added to the title"
    (title,) = [c for c in xml_cells(data) if c.text == FORMULA]
    assert (title.type, title.quote_prefix) == ("inlineStr", True)
    assert SCRIPT in values  # plain text in a spreadsheet: harmless (the group title is not in it)
    # Nothing of it reaches the workbook's XML as markup.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            xml = archive.read(name).decode("utf-8", errors="replace")
            assert "<script>" not in xml and "<img" not in xml, name
            assert "<f>" not in xml, f"{name} holds a formula"


def test_reckoner_pdf_prints_the_text_literally(admin_client, hostile_metrics, tmp_path) -> None:
    response = admin_client.get(reverse("reckoner"), {"month": "2024-08", "export": "pdf"})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed: the PDF's text cannot be read")
    pdf = tmp_path / "reckoner.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    # Had the HTML been built unescaped, WeasyPrint would have swallowed the tags as markup.
    for payload in PAYLOADS:
        assert payload in flat, f"{payload!r} is not printed literally in the PDF"

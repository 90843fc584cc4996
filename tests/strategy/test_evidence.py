"""Uploaded evidence: type and size checked, stored outside the web root, served to readers."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import Workbook
from PIL import Image

from vawg.accounts import roles
from vawg.accounts.models import ProjectAssignment
from vawg.accounts.testing import sign_in
from vawg.audit.models import AuditAction, AuditEvent
from vawg.strategy.evidence import (
    STORED_NAME,
    TYPE_MESSAGE,
    EvidenceError,
    add_evidence_file,
    sanitise_name,
)
from vawg.strategy.models import Evidence, ImprovementProject

CODE = "nfd21-1.1"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.VAWG_UPLOADS_DIR = tmp_path / "uploads"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.VAWG_UPLOADS_DIR


@pytest.fixture
def evidence_dir(_uploads) -> Path:
    return _uploads / "evidence"


def stored_files(folder: Path) -> list[Path]:
    """Every file in the evidence folder, temporary ones included."""
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def png_bytes(fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("Terms of reference agreed.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "Action"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


def upload(client, name: str, data: bytes, *, title: str = "Review terms of reference"):
    return client.post(
        reverse("action-add-evidence", args=[CODE]),
        {"evidence_title": title, "evidence_file": SimpleUploadedFile(name, data)},
    )


def make_user(username: str, role: str):
    person = get_user_model().objects.create_user(username=username, password="x" * 16)
    roles.assign_role(person, role)
    return person


class Named(io.BytesIO):
    """A file whose name is passed through untouched (Django's uploads strip folders)."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name


# --- accepted ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        ("Terms of reference.pdf", lambda: PDF, "application/pdf"),
        ("chart.png", png_bytes, "image/png"),
        ("photo.JPG", lambda: png_bytes("JPEG"), "image/jpeg"),
        (
            "minutes.docx",
            docx_bytes,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "tracker.xlsx",
            xlsx_bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("figures.csv", lambda: "month,count\n2024-01,3\nCafé,1\n".encode(), "text/csv"),
        ("notes.txt", lambda: b"Plain notes.\n", "text/plain"),
    ],
)
def test_allowed_file_is_stored_under_uploads_with_a_random_name(
    signed_in, world, user, evidence_dir, settings, name, make, content_type
):
    data = make()
    response = upload(signed_in, name, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("action", args=[CODE]) + "#response"

    evidence = Evidence.objects.get(response=world.responses["1.1"], url="")
    assert evidence.is_file
    assert STORED_NAME.fullmatch(evidence.stored_name)
    assert Path(name).stem not in evidence.stored_name
    assert evidence.original_name == name
    assert evidence.content_type == content_type
    assert evidence.size == len(data)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.uploaded_by == user

    path = evidence_dir / evidence.stored_name
    assert stored_files(evidence_dir) == [path]
    assert path.read_bytes() == data
    assert path.stat().st_mode & 0o077 == 0  # readable by the service account only
    # Not under any folder the static file server looks in.
    static_roots = [Path(settings.STATIC_ROOT)] + [
        Path(app.path) / "static" for app in apps.get_app_configs()
    ]
    assert not any(path.resolve().is_relative_to(root.resolve()) for root in static_roots)
    assert (
        signed_in.get(f"/{settings.STATIC_URL}evidence/{evidence.stored_name}").status_code == 404
    )

    # Recorded: what was stored, never the content.
    event = AuditEvent.objects.get(
        action=AuditAction.CREATE, model="evidence", object_pk=str(evidence.pk)
    )
    assert event.actor == user
    assert event.changes["sha256"] == evidence.sha256
    # The title and the file's own name may name a person: the trail says only that they
    # were set.
    assert (event.changes["original_name"], event.changes["title"]) == ("set", "set")
    assert name not in str(event.changes)
    assert data[:8].decode("latin-1") not in str(event.changes)


def test_action_page_lists_the_file_with_its_name_size_and_a_download_link(signed_in, world):
    upload(signed_in, "Terms of reference.pdf", PDF)
    evidence = Evidence.objects.get(url="")
    page = signed_in.get(reverse("action", args=[CODE])).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'class="govuk-file-upload"' in page
    assert f'href="{reverse("evidence-download", args=[evidence.pk])}"' in page
    assert "Terms of reference.pdf" in page
    assert f"{len(PDF)}\xa0bytes" in page
    # Links stay links, and a script URL is still never made a link.
    assert 'href="https://example.org/tor"' in page
    assert 'href="javascript:' not in page


def test_folders_in_the_file_name_are_never_used_as_a_path(world, user, evidence_dir, tmp_path):
    evidence = add_evidence_file(
        response=world.responses["1.1"],
        title="Traversal",
        upload=Named(PDF, "../../etc/passwd.pdf"),
        user=user,
    )
    assert evidence.original_name == "passwd.pdf"
    assert STORED_NAME.fullmatch(evidence.stored_name)
    assert stored_files(evidence_dir) == [evidence_dir / evidence.stored_name]
    assert not (tmp_path / "etc").exists()
    assert not list(tmp_path.rglob("passwd*"))


def test_traversal_name_through_the_page_is_stored_safely(signed_in, world, evidence_dir):
    response = upload(signed_in, "../../etc/passwd.pdf", PDF)
    assert response.status_code == 302
    evidence = Evidence.objects.get(url="")
    assert evidence.original_name == "passwd.pdf"
    assert stored_files(evidence_dir) == [evidence_dir / evidence.stored_name]


def test_a_title_with_a_control_character_is_refused_and_nothing_stored(world, user, evidence_dir):
    before = Evidence.objects.count()
    with pytest.raises(EvidenceError) as caught:
        add_evidence_file(
            response=world.responses["1.1"],
            title="Charter\x07 signed",
            upload=Named(PDF, "charter.pdf"),
            user=user,
        )
    assert caught.value.field == "title"
    assert str(caught.value) == (
        "The title contains a control character (U+0007) at character 8. Remove it and try again."
    )
    assert Evidence.objects.count() == before
    assert stored_files(evidence_dir) == []


def test_display_names_lose_controls_quotes_and_folders():
    assert sanitise_name('a"b\r\nContent-Type: text;.pdf') == "a_bContent-Type_ text_.pdf"
    assert sanitise_name("..\\..\\boot.ini") == "boot.ini"
    assert sanitise_name("reports/text/html.pdf") == "html.pdf"
    assert sanitise_name("x" * 300 + ".pdf").endswith("x.pdf")
    assert len(sanitise_name("x" * 300 + ".pdf")) == 200


# --- refused ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, TYPE_MESSAGE),
        ("setup.exe", PDF, TYPE_MESSAGE),
        ("report.pdf.exe", PDF, TYPE_MESSAGE),
        ("page.html", b"<script>alert(1)</script>", TYPE_MESSAGE),
        ("no-extension", PDF, TYPE_MESSAGE),
        ("notes.txt", b"looks like text\x00but has a NUL", TYPE_MESSAGE),
        ("figures.csv", "month,count\n".encode("utf-16"), TYPE_MESSAGE),
        ("chart.png", PDF, TYPE_MESSAGE),
        ("photo.jpg", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, TYPE_MESSAGE),
        ("minutes.docx", zip_bytes({"word/document.xml": b"<w/>"}), TYPE_MESSAGE),
        ("minutes.docx", b"PK\x03\x04 not really a zip", TYPE_MESSAGE),
        ("tracker.xlsx", docx_bytes(), TYPE_MESSAGE),
        (
            "macros.docx",
            zip_bytes(
                {
                    "[Content_Types].xml": b"<Types/>",
                    "word/document.xml": b"<w/>",
                    "word/vbaProject.bin": b"\x00",
                }
            ),
            TYPE_MESSAGE,
        ),
        ("empty.pdf", b"", "The selected file is empty"),
    ],
)
def test_refused_file_creates_no_evidence_and_no_file(
    signed_in, world, evidence_dir, name, data, message
):
    before = Evidence.objects.count()
    response = upload(signed_in, name, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert f'<a href="#evidence_file">{message}</a>' in page
    assert "govuk-file-upload--error" in page
    assert Evidence.objects.count() == before
    assert stored_files(evidence_dir) == []


def test_oversized_file_is_refused(signed_in, world, evidence_dir, settings):
    settings.VAWG_MAX_UPLOAD_BYTES = 1024
    response = upload(signed_in, "big.pdf", PDF + b"0" * 1024)
    assert response.status_code == 200
    assert '<a href="#evidence_file">The file must be smaller than 1 KB</a>' in (
        response.content.decode()
    )
    assert not Evidence.objects.filter(url="").exists()
    assert stored_files(evidence_dir) == []


def test_oversized_request_is_refused_before_its_body_is_read(
    signed_in, world, evidence_dir, settings
):
    settings.VAWG_MAX_UPLOAD_BYTES = 1024
    response = upload(signed_in, "big.pdf", PDF + b"0" * (200 * 1024))
    assert response.status_code == 200
    assert "The file must be smaller than 1 KB" in response.content.decode()
    assert not Evidence.objects.filter(url="").exists()
    assert stored_files(evidence_dir) == []


def test_default_limit_is_ten_megabytes(world, user, evidence_dir):
    big = io.BytesIO(PDF + b"0" * (10 * 1024 * 1024))  # no declared size: counted as read
    big.name = "big.pdf"
    with pytest.raises(EvidenceError, match=r"^The file must be smaller than 10 MB$"):
        add_evidence_file(response=world.responses["1.1"], title="Big", upload=big, user=user)
    assert stored_files(evidence_dir) == []


@pytest.mark.parametrize(
    ("fields", "anchor", "message"),
    [
        ({"evidence_title": "  "}, "evidence_title", "Enter a title for the evidence"),
        ({"evidence_title": "x" * 301}, "evidence_title", "The title must be 300 characters or"),
        ({"evidence_file": ""}, "evidence_file", "Select a file"),
    ],
)
def test_missing_title_or_file_is_refused(signed_in, world, evidence_dir, fields, anchor, message):
    data = {
        "evidence_title": "Review",
        "evidence_file": SimpleUploadedFile("review.pdf", PDF),
    } | fields
    response = signed_in.post(reverse("action-add-evidence", args=[CODE]), data)
    assert response.status_code == 200
    assert f'<a href="#{anchor}">{message}' in response.content.decode()
    assert not Evidence.objects.filter(url="").exists()
    assert stored_files(evidence_dir) == []


def test_upload_without_a_csrf_token_is_refused(world, user, evidence_dir):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = upload(client, "report.pdf", PDF)
    assert response.status_code == 403
    assert not Evidence.objects.filter(url="").exists()
    assert stored_files(evidence_dir) == []


# --- who may upload ---------------------------------------------------------------------------


def test_project_lead_of_another_project_cannot_upload(client, world, evidence_dir):
    other = ImprovementProject.objects.create(
        strategy=world.project.strategy,
        code="boyd",
        position=2,
        name="Project Boyd",
        focus="Stalking",
        description=".",
        phase=world.project.phase,
        lead_role="Detective Superintendent",
    )
    other.actions.add(world.actions["2.3"])
    lead = make_user("other-lead", roles.PROJECT_LEAD)
    ProjectAssignment.objects.create(user=lead, project=other)
    sign_in(client, lead)

    response = upload(client, "report.pdf", PDF)
    assert response.status_code == 403
    assert not Evidence.objects.filter(url="").exists()
    assert stored_files(evidence_dir) == []
    assert "add-evidence" not in client.get(reverse("action", args=[CODE])).content.decode()


def test_project_lead_of_the_actions_project_can_upload(client, world, evidence_dir):
    lead = make_user("kaizen-lead", roles.PROJECT_LEAD)
    ProjectAssignment.objects.create(user=lead, project=world.project)
    sign_in(client, lead)
    assert "add-evidence" in client.get(reverse("action", args=[CODE])).content.decode()
    assert upload(client, "report.pdf", PDF).status_code == 302
    assert Evidence.objects.get(url="").uploaded_by == lead


@pytest.mark.parametrize("role", [roles.PARTNER, roles.BOARD_MEMBER, roles.ANALYST])
def test_readers_and_partners_cannot_upload(client, world, evidence_dir, role):
    sign_in(client, make_user("reader", role))
    assert upload(client, "report.pdf", PDF).status_code == 403
    assert stored_files(evidence_dir) == []


def test_anonymous_upload_goes_to_sign_in(client, world, evidence_dir):
    response = upload(client, "report.pdf", PDF)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert stored_files(evidence_dir) == []


# --- download ---------------------------------------------------------------------------------


@pytest.fixture
def held(world, user) -> Evidence:
    return add_evidence_file(
        response=world.responses["1.1"],
        title="Terms of reference",
        upload=Named(PDF, 'Terms "of" reference.pdf'),
        user=user,
    )


def test_head_of_pvp_downloads_the_file_as_an_attachment(signed_in, held, user):
    response = signed_in.get(reverse("evidence-download", args=[held.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="Terms _of_ reference.pdf"' in disposition
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_pk=str(held.pk))
    assert event.actor == user


def test_board_member_may_download(client, held):
    sign_in(client, make_user("board", roles.BOARD_MEMBER))
    response = client.get(reverse("evidence-download", args=[held.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_partner_is_refused_the_download_and_does_not_see_the_file(client, held):
    sign_in(client, make_user("partner", roles.PARTNER))
    assert client.get(reverse("evidence-download", args=[held.pk])).status_code == 403
    page = client.get(reverse("action", args=[CODE])).content.decode()
    assert reverse("evidence-download", args=[held.pk]) not in page
    assert held.original_name not in page
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_anonymous_download_goes_to_sign_in(client, held):
    response = client.get(reverse("evidence-download", args=[held.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_link_only_or_unknown_evidence_is_not_found(signed_in, world):
    link = Evidence.objects.get(url="https://example.org/tor")
    assert signed_in.get(reverse("evidence-download", args=[link.pk])).status_code == 404
    assert signed_in.get(reverse("evidence-download", args=[999999])).status_code == 404


def test_a_missing_stored_file_is_not_found(signed_in, held, evidence_dir):
    (evidence_dir / held.stored_name).unlink()
    assert signed_in.get(reverse("evidence-download", args=[held.pk])).status_code == 404


def test_links_and_files_keep_their_own_uniqueness(world, user):
    """Many files on one response (blank urls) do not collide; a repeated link still does."""
    for n in range(2):
        add_evidence_file(
            response=world.responses["1.1"],
            title=f"File {n}",
            upload=Named(PDF, "a.pdf"),
            user=user,
        )
    assert Evidence.objects.filter(response=world.responses["1.1"], url="").count() == 2
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", Evidence.objects.filter(url="").first().stored_name)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(
            response=world.responses["1.1"], title="Again", url="https://example.org/tor"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(response=world.responses["1.1"], title="Neither", url="")

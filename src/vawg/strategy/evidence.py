"""Uploaded evidence files: checked, stored outside the web root under a random name.

:func:`add_evidence_file` is the only way a file becomes evidence, whatever the caller. It
accepts a file only if its extension is one of :data:`ALLOWED_TYPES` *and* its content is
that kind of file (PDF, PNG and JPEG by their magic bytes; Word and Excel as Office Open XML
zip packages of the right kind; CSV and text as UTF-8 without NUL bytes), and only if it is
no larger than ``settings.VAWG_MAX_UPLOAD_BYTES``. The file is written under
``settings.VAWG_UPLOADS_DIR / "evidence"`` with a random name (a temporary file first, then
``os.replace``), so nothing the uploader typed ever becomes part of a path. The name they
gave is kept only in a sanitised form, for display and as the download's file name.

No web imports here: pages and commands pass any object with ``name``, ``size`` (optional)
and ``chunks()`` (Django's ``UploadedFile``), or ``read()``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from vawg.errors import VawgError
from vawg.strategy.models import Evidence, Response
from vawg.text import find_forbidden

# TODO: evidence cannot be withdrawn: a file uploaded to the wrong action, or one that
# names a person, stays until someone deletes it in the database; it needs a "remove"
# (recorded in the audit trail, the file erased from the uploads folder) for its uploader and
# the head of PVP.

logger = logging.getLogger(__name__)

#: Default largest file accepted, in bytes (``settings.VAWG_MAX_UPLOAD_BYTES`` overrides it).
DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024

#: The folder under ``VAWG_UPLOADS_DIR`` that holds evidence files.
EVIDENCE_FOLDER = "evidence"

TYPE_MESSAGE = "The file must be a PDF, Word, Excel, PNG, JPEG, CSV or text file"

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Extension -> the content type the file is stored and served as.
ALLOWED_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".csv": "text/csv",
    ".txt": "text/plain",
}

#: What a stored name looks like; anything else is never opened.
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|docx|xlsx|png|jpg|jpeg|csv|txt)$")

_CHUNK = 64 * 1024
_UNSAFE_NAME = re.compile(r"[^\w .()+,-]", re.ASCII)
_SPACES = re.compile(r"\s+")
_MAX_NAME = 200


class EvidenceError(VawgError):
    """An upload that cannot be stored; ``field`` is ``"title"`` or ``"file"``."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def max_upload_bytes() -> int:
    return int(getattr(settings, "VAWG_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def size_message(limit: int | None = None) -> str:
    """``"The file must be smaller than 10 MB"`` for the configured limit."""
    limit = max_upload_bytes() if limit is None else limit
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        words = f"{limit // (1024 * 1024)} MB"
    elif limit >= 1024:
        words = f"{limit / 1024:.0f} KB"
    else:
        words = f"{limit} bytes"
    return f"The file must be smaller than {words}"


def evidence_dir() -> Path:
    """The folder of evidence files (outside the web root: see ``VAWG_UPLOADS_DIR``)."""
    return Path(settings.VAWG_UPLOADS_DIR) / EVIDENCE_FOLDER


def stored_path(evidence: Evidence) -> Path:
    """Where ``evidence``'s file is kept; refuses a stored name not made by this module."""
    if not STORED_NAME.fullmatch(evidence.stored_name or ""):
        raise VawgError(f"Evidence {evidence.pk} has no stored file")
    return evidence_dir() / evidence.stored_name


def sanitise_name(name: str) -> str:
    r"""A file name safe to show and to offer as a download name: no folders, no controls.

    >>> sanitise_name("../../etc/passwd.pdf")
    'passwd.pdf'
    >>> sanitise_name("C:\\Users\\me\\Review <draft>\x00.PDF")
    'Review _draft_.PDF'
    >>> sanitise_name("...")
    'evidence'
    """
    name = unicodedata.normalize("NFKC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE_NAME.sub("_", name)
    name = _SPACES.sub(" ", name).strip(" .")
    if not name:
        return "evidence"
    if len(name) > _MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = f"{stem[: _MAX_NAME - len(ext) - 1]}.{ext}"
        else:
            name = name[:_MAX_NAME]
    return name


# --- content checks -------------------------------------------------------------------------


def _starts_with(path: Path, magic: bytes) -> bool:
    with path.open("rb") as f:
        return f.read(len(magic)) == magic


def _is_ooxml(path: Path, main_part: str) -> bool:
    """A zip package with ``[Content_Types].xml`` and the main part of a Word or Excel file."""
    if not _starts_with(path, b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    if "[Content_Types].xml" not in names or main_part not in names:
        return False
    # Macros belong in .docm/.xlsm, which are not accepted.
    return not any(n.lower().endswith("vbaproject.bin") for n in names)


def _is_text(path: Path) -> bool:
    data = path.read_bytes()
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _content_matches(path: Path, extension: str) -> bool:
    if extension == ".pdf":
        return _starts_with(path, b"%PDF-")
    if extension == ".png":
        return _starts_with(path, b"\x89PNG\r\n\x1a\n")
    if extension in (".jpg", ".jpeg"):
        return _starts_with(path, b"\xff\xd8\xff")
    if extension == ".docx":
        return _is_ooxml(path, "word/document.xml")
    if extension == ".xlsx":
        return _is_ooxml(path, "xl/workbook.xml")
    if extension in (".csv", ".txt"):
        return _is_text(path)
    return False


# --- storing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Written:
    path: Path
    size: int
    sha256: str


def _chunks(upload):
    if hasattr(upload, "chunks"):
        yield from upload.chunks(_CHUNK)
        return
    while chunk := upload.read(_CHUNK):
        yield chunk


def _write_temporary(upload, folder: Path, limit: int) -> _Written:
    """Copy the upload into a temporary file in ``folder``, refusing it past ``limit``."""
    # mkstemp: a new file only its owner may read (0600), never one that already exists.
    handle, name = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".part")
    path = Path(name)
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in _chunks(upload):
                size += len(chunk)
                if size > limit:
                    raise EvidenceError("file", size_message(limit))
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return _Written(path, size, digest.hexdigest())


def add_evidence_file(*, response: Response, title: str, upload, user) -> Evidence:
    """Check ``upload``, store it as evidence for ``response`` and return the new row.

    Raises ``EvidenceError`` (nothing stored, no row) for a blank or over-long title, a
    missing or empty file, a file over the size limit, or one whose extension or content is
    not an allowed type. The row's creation is recorded in the audit trail (the sanitised
    name, type, size and hash; never the content).
    """
    if (found := find_forbidden(title or "")) is not None:
        raise EvidenceError("title", found.message("The title"))
    title = (title or "").strip()
    if not title:
        raise EvidenceError("title", "Enter a title for the evidence")
    if len(title) > Evidence._meta.get_field("title").max_length:
        raise EvidenceError("title", "The title must be 300 characters or fewer")
    if upload is None:
        raise EvidenceError("file", "Select a file")

    original_name = sanitise_name(getattr(upload, "name", "") or "")
    extension = Path(original_name).suffix.lower()
    limit = max_upload_bytes()
    declared = getattr(upload, "size", None)
    if declared == 0:
        raise EvidenceError("file", "The selected file is empty")
    if declared is not None and declared > limit:
        raise EvidenceError("file", size_message(limit))
    if extension not in ALLOWED_TYPES:
        raise EvidenceError("file", TYPE_MESSAGE)

    folder = evidence_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    written = _write_temporary(upload, folder, limit)
    final: Path | None = None
    try:
        if written.size == 0:
            raise EvidenceError("file", "The selected file is empty")
        if not _content_matches(written.path, extension):
            raise EvidenceError("file", TYPE_MESSAGE)
        stored_name = f"{uuid.uuid4().hex}{extension}"
        final = folder / stored_name
        with transaction.atomic():
            evidence = Evidence.objects.create(
                response=response,
                title=title,
                url="",
                stored_name=stored_name,
                original_name=original_name,
                content_type=ALLOWED_TYPES[extension],
                size=written.size,
                sha256=written.sha256,
                uploaded_by=user if getattr(user, "pk", None) else None,
            )
            # Inside the transaction: if the move fails the row is not kept either.
            os.replace(written.path, final)
    except BaseException:
        written.path.unlink(missing_ok=True)
        if final is not None:  # the row was not saved, so neither is the file
            final.unlink(missing_ok=True)
        raise
    logger.info(
        "evidence %s stored: %s, %d bytes, for response %s",
        evidence.pk,
        evidence.content_type,
        evidence.size,
        response.pk,
    )
    return evidence

"""The import page: upload data files, import them in the background, watch the progress.

``/imports/`` takes data.police.uk files or force system extracts, saves them and queues an
import job (``vawg.imports.jobs``); ``/imports/<id>/`` shows the job, refreshing itself every
two seconds while it waits or runs (a ``<meta>`` refresh: no JavaScript needed). Analysts and
administrators only (``accounts.import_data``).
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from vawg.accounts import roles
from vawg.accounts.access import Rule, access
from vawg.analytics.police_uk import UnrecognisedFileNameError, detect
from vawg.errors import VawgError
from vawg.extracts.validate import detect_template
from vawg.imports.jobs import ACCEPTED_SUFFIXES, create_job, safe_file_name
from vawg.imports.models import ImportJob, ImportRun, JobKind, JobStatus
from vawg.web.forms import GovukForm
from vawg.web.templatetags.vawg import byte_size
from vawg.web.views.common import current_force

#: Importing data: performance analysts and administrators.
IMPORT = Rule("importers of data", (roles.IMPORT_DATA,))

RECENT = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type="file" multiple>``; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ImportForm(GovukForm):
    kind = forms.ChoiceField(
        choices=JobKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what the files are",
            "invalid_choice": "Select what the files are",
        },
    )
    files = MultipleFileField(
        error_messages={
            "required": "Select the files to import",
            "empty": "The selected file is empty",
        }
    )

    def clean(self):
        data = super().clean()
        kind, uploads = data.get("kind"), data.get("files")
        if not kind or not uploads:
            return data
        limit = settings.VAWG_MAX_IMPORT_BYTES
        problems: list[str] = []
        for upload in uploads:
            try:
                name = safe_file_name(upload.name)
            except VawgError as exc:
                problems.append(str(exc))
                continue
            problems.extend(_name_problems(name, kind))
            if upload.size > limit:
                problems.append(f"{name} must be smaller than {byte_size(limit)}")
        for problem in problems:
            self.add_error("files", problem)
        return data


def _name_problems(name: str, kind: str) -> list[str]:
    lower = name.lower()
    if not lower.endswith(ACCEPTED_SUFFIXES):
        return [f"{name} must be a CSV (.csv or .csv.gz) or Excel (.xlsx) file"]
    if kind == JobKind.POLICE_UK:
        if lower.endswith(".xlsx"):
            return [f"{name} must be a CSV file (.csv or .csv.gz), as data.police.uk gives them"]
        try:
            detect(Path(name))
        except UnrecognisedFileNameError as exc:
            return [str(exc)]
    else:
        try:
            detect_template(name)
        except VawgError as exc:
            return [str(exc)]
    return []


@access(IMPORT)
@require_http_methods(["GET", "POST"])
def imports(request):
    """The upload form, recent jobs and recent import runs."""
    force = current_force(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            job = create_job(
                user=request.user,
                kind=kind,
                uploads=form.cleaned_data["files"],
                force=force.slug if kind == JobKind.EXTRACT else "",
            )
        except VawgError as exc:
            form.add_error("files", str(exc))
        else:
            messages.success(request, f"{job.files_total} files are queued for import.")
            return redirect("import-job", pk=job.pk)
    return render(
        request,
        "web/imports.html",
        {
            "force": force,
            "form": form,
            "errors": form.error_list() if form.is_bound else [],
            "max_size": settings.VAWG_MAX_IMPORT_BYTES,
            "jobs": ImportJob.objects.select_related("created_by", "run")[:RECENT],
            # files_imported counts month partitions (one per dataset, force and month), so
            # 11 extracts spanning years show as 1,680: the page counts the files themselves
            # from the run's records, and shows the partitions as months beside them.
            "runs": ImportRun.objects.annotate(
                source_files=Count("files__file_name", distinct=True)
            )[:RECENT],
        },
    )


@access(IMPORT)
@require_GET
def import_job(request, pk: int):
    """One job: its status and progress, then its outcome."""
    job = get_object_or_404(ImportJob.objects.select_related("created_by", "run"), pk=pk)
    # The bar shows how far the job has come, not a count: once it has ended (the files
    # imported, or refused at the first bad one) there is nothing left to do, so it is full.
    total = max(job.files_total, 1)
    done = min(job.files_done, total) if job.active else total
    return render(
        request,
        "web/import_job.html",
        {
            "job": job,
            "progress_done": done,
            "progress_total": total,
            "refresh": job.active,
            "failed": job.status == JobStatus.FAILED,
            "succeeded": job.status == JobStatus.SUCCEEDED,
        },
    )

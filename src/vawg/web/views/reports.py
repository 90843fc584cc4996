"""Pages for the board paper and the quarterly national return.

``/reports/paper/`` is a GET form: with its fields filled in it returns the paper file (PDF or
Word). ``/reports/returns/`` chooses a quarter; ``/reports/returns/<quarter>/`` shows the
return's state, what changed since the previous quarter and since the original submission,
exports it, and (head of PVP only: ``reports.submit_return``) submits or restates it.
"""

from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from vawg.accounts.access import READ_ALL, Rule, access
from vawg.dates import planning_span
from vawg.reports.models import ReturnSubmission
from vawg.reports.paper.build import PaperError, build_paper
from vawg.reports.returns import (
    QuarterError,
    SubmissionError,
    build_return_content,
    compare_quarters,
    diff_returns,
    latest_submission,
    return_for_export,
    stated_at,
    stated_at_phrase,
    stated_at_text,
    submit_return,
)
from vawg.reports.returns.periods import (
    check_quarter,
    parse_quarter,
    previous_quarter,
    quarter_end,
    quarter_range,
    return_due,
)
from vawg.reports.returns.workbook import return_xlsx
from vawg.strategy.responses import today_in_london
from vawg.web.downloads import attachment
from vawg.web.forms import GovukDateField, GovukForm, PlainTextField
from vawg.web.views.common import current_force

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Submitting a national return: the head of PVP (who holds ``reports.submit_return``).
SUBMIT = Rule("submitters of national returns", ("reports.submit_return",))

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class PaperForm(GovukForm):
    board = PlainTextField(
        label_for_errors="The board's name",
        max_length=200,
        strip=True,
        initial="Business Coordination Board",
        error_messages={
            "required": "Enter the board the paper goes to",
            "max_length": "The board's name must be 200 characters or fewer",
        },
    )
    as_at = GovukDateField(label_for_errors="Date of the paper", span=planning_span)
    agenda_item = PlainTextField(
        label_for_errors="The agenda item",
        max_length=20,
        strip=True,
        required=False,
        error_messages={"max_length": "The agenda item must be 20 characters or fewer"},
    )
    format = forms.ChoiceField(
        choices=[("pdf", "PDF"), ("docx", "Word")],
        widget=forms.RadioSelect,
        initial="pdf",
        error_messages={"required": "Select a format", "invalid_choice": "Select a format"},
    )
    draft = forms.BooleanField(required=False)


@access(READ_ALL)
def paper(request):
    """The paper form; a filled-in form returns the paper as a download."""
    force = current_force(request)
    bound = "board" in request.GET
    form = PaperForm(request.GET if bound else None, initial={"format": "pdf"})
    if bound and form.is_valid():
        data = form.cleaned_data
        try:
            content = build_paper(
                force,
                board=data["board"],
                as_at=data["as_at"],
                agenda_item=data["agenda_item"],
                draft=data["draft"],
            )
        except PaperError as exc:
            form.add_error(None, str(exc))
        else:
            if data["format"] == "pdf":
                from vawg.reports.paper.pdf import paper_pdf

                body = paper_pdf(content)
            else:
                from vawg.reports.paper.docx import paper_docx

                body = paper_docx(content)
            name = f"vawg-paper-{force.slug}-{data['as_at']:%Y-%m-%d}"
            suffix = "-draft" if data["draft"] else ""
            logger.info("paper downloaded by user %s", request.user.pk)
            return attachment(
                body,
                content_type=FORMATS[data["format"]],
                filename=f"{name}{suffix}.{data['format']}",
            )
    return render(
        request,
        "web/reports/paper.html",
        {"force": force, "form": form, "errors": form.error_list() if bound else []},
    )


class QuarterForm(forms.Form):
    quarter = forms.CharField(
        max_length=6, error_messages={"required": "Enter a quarter, for example 2022Q1"}
    )

    def clean_quarter(self) -> str:
        value = self.cleaned_data["quarter"].strip().upper()
        try:
            parse_quarter(value)
        except QuarterError:
            raise forms.ValidationError("Enter a quarter like 2022Q1") from None
        today = today_in_london()
        try:
            check_quarter(value, today=today)
        except QuarterError:
            first, last = quarter_range(today)
            raise forms.ValidationError(f"Enter a quarter from {first} to {last}") from None
        return value


@access(READ_ALL)
def returns(request):
    """Choose a quarter; lists the quarters already submitted."""
    force = current_force(request)
    form = QuarterForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("report-return", quarter=form.cleaned_data["quarter"])
    submitted = ReturnSubmission.objects.filter(force=force).order_by("-quarter", "-number")
    return render(
        request,
        "web/reports/returns.html",
        {"force": force, "form": form, "submissions": submitted},
    )


@access(READ_ALL)
def return_page(request, quarter: str):
    """One quarter's return: state, changes, export and (with permission) submission."""
    force = current_force(request)
    try:
        check_quarter(quarter, today=today_in_london())
    except QuarterError:
        raise Http404("No such quarter") from None
    if request.GET.get("export") == "xlsx":
        asked = request.GET.get("snapshot")
        if asked is not None:
            # Any submitted snapshot (the original is 0), as it was sent, not only the latest.
            submission = ReturnSubmission.objects.filter(
                force=force, quarter=quarter, number=int(asked) if asked.isdigit() else -1
            ).first()
            if submission is None:
                raise Http404("No such submission of this return")
            content, name = submission.content, f"-snapshot-{submission.number}"
        else:
            exported = return_for_export(force, quarter)
            submission, content, name = exported.submission, exported.content, ""
        status = (
            f"Submitted return, snapshot {submission.number}"
            if submission
            else stated_at_text(quarter)
        )
        return attachment(
            return_xlsx(content, status=status),
            content_type=XLSX,
            filename=f"vawg-return-{force.slug}-{quarter}{name}.xlsx",
        )

    return render(request, "web/reports/return.html", _return_context(request, force, quarter))


def _return_context(request, force, quarter: str, *, errors=(), reason: str = "") -> dict:
    latest = latest_submission(force, quarter)
    # What submitting now would send: submit_return builds the same content as at this moment.
    moment = stated_at(quarter)
    live = build_return_content(force, quarter, at=moment)
    current = latest.content if latest else live
    previous_label = previous_quarter(quarter)
    previous_sub = latest_submission(force, previous_label)
    previous = previous_sub.content if previous_sub else build_return_content(force, previous_label)
    original = (
        ReturnSubmission.objects.filter(force=force, quarter=quarter, number=0).first()
        if latest
        else None
    )
    context = {
        "force": force,
        "quarter": quarter,
        "latest": latest,
        "history": ReturnSubmission.objects.filter(force=force, quarter=quarter)
        .select_related("submitted_by")
        .order_by("number"),
        "stated_at": moment,
        "stated_at_phrase": stated_at_phrase(quarter),
        "previous_quarter": previous_label,
        "previous_submitted": previous_sub is not None,
        "since_previous": diff_returns(previous, current),
        "figures_against_previous": compare_quarters(previous, current),
        "since_original": diff_returns(original.content, current)
        if original and latest and latest.number > 0
        else [],
        "unsubmitted": diff_returns(latest.content, live) if latest else [],
        "can_submit": request.user.has_perm("reports.submit_return"),
        "quarter_over": today_in_london() > quarter_end(quarter),
        "due": return_due(quarter),
        "quarter_due_passed": today_in_london() > return_due(quarter),
        "actions": sum(len(p["actions"]) for p in current["pillars"]),
        "metrics": len(current["metrics"]),
        "errors": list(errors),
        "reason": reason,
    }
    return context


@require_POST
@access(SUBMIT)
def return_submit(request, quarter: str):
    """Submit (or restate) a quarter's return: head of PVP only."""
    if not request.user.has_perm("reports.submit_return"):
        raise PermissionDenied("Only the head of PVP may submit a return")
    force = current_force(request)
    try:
        submission = submit_return(
            force=force,
            quarter=quarter,
            user=request.user,
            role="Head of Protecting Vulnerable People",
            reason=request.POST.get("reason", ""),
        )
    except QuarterError:
        raise Http404("No such quarter") from None
    except SubmissionError as exc:
        context = _return_context(
            request,
            force,
            quarter,
            errors=[("reason", str(exc))],
            reason=request.POST.get("reason", ""),
        )
        return render(request, "web/reports/return.html", context, status=400)
    kind = "original return" if submission.number == 0 else f"restatement {submission.number}"
    messages.success(request, f"The {quarter} return is submitted ({kind}).")
    return redirect(reverse("report-return", kwargs={"quarter": quarter}))

"""Forms of the tracker's pages, with the GOV.UK Design System's error messages.

The forms only parse and check what a person typed; the writes (and their own checks) are in
``vawg.strategy.responses``. Templates draw the GOV.UK markup themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError

from vawg.dates import DateSpan, past_span
from vawg.strategy.models import DeliveryRag, Status
from vawg.strategy.responses import CHANGEABLE_FIELDS, today_in_london
from vawg.text import find_forbidden

PARTS = ("day", "month", "year")


class GovukDateWidget(forms.Widget):
    """Three inputs named ``<name>-day``, ``<name>-month`` and ``<name>-year``.

    The value is a ``(day, month, year)`` tuple of strings, so what was typed goes back on
    screen unchanged when the form has errors.
    """

    def value_from_datadict(self, data, files, name):
        return tuple((data.get(f"{name}-{part}") or "").strip() for part in PARTS)

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{part}" in data for part in PARTS)

    def format_value(self, value):
        if isinstance(value, dt.date):
            return (str(value.day), str(value.month), str(value.year))
        if isinstance(value, tuple | list) and len(value) == 3:
            return tuple(value)
        return ("", "", "")


class GovukDateField(forms.Field):
    """A date typed as day, month and year, checked with the GOV.UK messages.

    Each error carries ``params["parts"]``: the inputs to highlight. ``span``, given today
    (``today`` if set, else today in England), is the dates allowed (see ``vawg.dates``).
    """

    widget = GovukDateWidget

    def __init__(
        self,
        *,
        label_for_errors: str,
        span: Callable[[dt.date], DateSpan] | None = None,
        **kwargs,
    ):
        self.label_for_errors = label_for_errors
        self.span = span
        self.today: dt.date | None = None
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return self.widget.format_value(value)

    def to_python(self, value):
        if isinstance(value, dt.date):
            return value
        parts = dict(zip(PARTS, value or ("", "", ""), strict=True))
        name = self.label_for_errors
        missing = [p for p in PARTS if not parts[p]]
        if len(missing) == 3:
            if self.required:
                raise ValidationError(
                    f"Enter {name.lower()}", code="required", params={"parts": list(PARTS)}
                )
            return None
        if missing:
            raise ValidationError(
                f"{name} must include a {' and '.join(missing)}",
                code="incomplete",
                params={"parts": missing},
            )
        not_numbers = [p for p in PARTS if not parts[p].isdigit()]
        if not_numbers:
            raise ValidationError(
                f"{name} must be a real date", code="invalid", params={"parts": not_numbers}
            )
        day, month, year = (int(parts[p]) for p in PARTS)
        if len(parts["year"]) != 4:
            raise ValidationError(
                "Year must include 4 numbers", code="invalid", params={"parts": ["year"]}
            )
        try:
            return dt.date(year, month, day)
        except ValueError:
            bad = ["month"] if not 1 <= month <= 12 else ["day"]
            raise ValidationError(
                f"{name} must be a real date", code="invalid", params={"parts": bad}
            ) from None

    def validate(self, value):
        super().validate(value)
        if value is None or self.span is None:
            return
        problem = self.span(self.today or today_in_london()).problem(value, self.label_for_errors)
        if problem:
            raise ValidationError(problem, code="out_of_span", params={"parts": list(PARTS)})


class PlainTextField(forms.CharField):
    """Text a person types, refused (never cut) if it holds control or direction characters.

    Checked as sent, before surrounding white space is stripped, so the position in the
    message is where the character is in the box (and a leading vertical tab, which stripping
    would remove unseen, is reported too). The rule is ``vawg.text.find_forbidden``.
    """

    def __init__(self, *, label_for_errors: str, **kwargs):
        self.label_for_errors = label_for_errors
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            found = find_forbidden(value)
            if found is not None:
                raise ValidationError(
                    found.message(self.label_for_errors),
                    code="forbidden_character",
                    params={"code_point": found.code_point, "position": found.position},
                )
        return super().to_python(value)


class GovukForm(forms.Form):
    """A form that can say which inputs of a date field are in error."""

    def date_error_parts(self, name: str) -> list[str]:
        if not self.is_bound or name not in self.errors:
            return []
        parts: list[str] = []
        for error in self.errors.as_data()[name]:
            for part in (error.params or {}).get("parts", PARTS):
                if part not in parts:
                    parts.append(part)
        return parts

    def error_anchor(self, name: str) -> str:
        """The id an error summary link points at for a field."""
        field = self.fields[name]
        if isinstance(field, GovukDateField):
            parts = self.date_error_parts(name) or list(PARTS)
            return f"{name}-{parts[0]}"
        if isinstance(field.widget, forms.RadioSelect):
            return f"{name}"
        return name

    def error_list(self) -> list[tuple[str, str]]:
        """``(anchor, message)`` for the error summary, in the order of the fields."""
        items = [("", str(message)) for message in self.non_field_errors()]
        for name in self.fields:
            for message in self.errors.get(name, []):
                items.append((self.error_anchor(name), str(message)))
        return items


class AddUpdateForm(GovukForm):
    as_at = GovukDateField(label_for_errors="Date of the update", span=past_span)
    text = PlainTextField(
        label_for_errors="Update text",
        strip=True,
        required=True,
        max_length=20000,
        error_messages={
            "required": "Enter the update",
            "max_length": "The update must be 20,000 characters or fewer",
        },
    )
    author_role = PlainTextField(
        label_for_errors="Your role",
        strip=True,
        required=True,
        max_length=200,
        error_messages={
            "required": "Enter your role",
            "max_length": "Your role must be 200 characters or fewer",
        },
    )

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_at"].today = today


class ChangeResponseForm(GovukForm):
    owner_role = PlainTextField(
        label_for_errors="The owner's role",
        strip=True,
        max_length=200,
        error_messages={
            "required": "Enter the owner's role",
            "max_length": "The owner's role must be 200 characters or fewer",
        },
    )
    status = forms.ChoiceField(
        choices=Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a status", "invalid_choice": "Select a status"},
    )
    rag = forms.ChoiceField(
        choices=DeliveryRag.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a delivery RAG",
            "invalid_choice": "Select a delivery RAG",
        },
    )
    due = GovukDateField(label_for_errors="Due date", required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # What the form showed when it was opened (at ``revision``), so that a refused save can
    # tell the fields this person changed from those they left alone. Read from the raw data
    # by ``opened_values``: an empty due date and an absent one mean different things.
    opened_owner_role = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    opened_status = forms.CharField(widget=forms.HiddenInput, required=False)
    opened_rag = forms.CharField(widget=forms.HiddenInput, required=False)
    opened_due = forms.CharField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_response(cls, response) -> ChangeResponseForm:
        return cls.with_values(
            {name: getattr(response, name) for name in CHANGEABLE_FIELDS}, opened=response
        )

    @classmethod
    def with_values(cls, values: dict[str, object], *, opened) -> ChangeResponseForm:
        """An unbound form showing ``values``, opened at the stored response ``opened``."""
        initial: dict[str, object] = {name: values[name] for name in CHANGEABLE_FIELDS}
        initial["revision"] = opened.revision
        for name in CHANGEABLE_FIELDS:
            value = getattr(opened, name)
            initial[f"opened_{name}"] = value.isoformat() if isinstance(value, dt.date) else value
        return cls(initial=initial)

    def opened_values(self) -> dict[str, object]:
        """The values the form was opened with, by field; a field missing or garbled is left out.

        A form posted without them (a page opened before they existed, or a script) gives an
        empty dict, and every field is then treated as changed on purpose.
        """
        if not self.is_bound:
            return {}
        opened: dict[str, object] = {}
        for name in CHANGEABLE_FIELDS:
            key = f"opened_{name}"
            if key not in self.data:
                continue
            raw = self.data.get(key) or ""
            if name == "due":
                try:
                    opened[name] = dt.date.fromisoformat(raw) if raw else None
                except ValueError:
                    continue
            elif name == "owner_role":
                opened[name] = raw.strip()
            else:
                opened[name] = raw
        return opened


class MonthForm(forms.Form):
    """The ready reckoner's month chooser (a GET form)."""

    month = forms.ChoiceField(
        choices=(),
        required=False,
        error_messages={"invalid_choice": "Select a month from the list"},
    )

    def __init__(self, *args, months: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m, month_label(m)) for m in reversed(months)]


def month_label(period: str) -> str:
    """``"2024-03"`` → ``"March 2024"``."""
    try:
        return dt.date(int(period[:4]), int(period[5:7]), 1).strftime("%B %Y")
    except (ValueError, TypeError):
        return period


class AddEvidenceForm(GovukForm):
    """An evidence file and its title; the file's type and size are checked by the service."""

    evidence_title = PlainTextField(
        label_for_errors="The title",
        strip=True,
        max_length=300,
        error_messages={
            "required": "Enter a title for the evidence",
            "max_length": "The title must be 300 characters or fewer",
        },
    )
    evidence_file = forms.FileField(
        allow_empty_file=False,
        error_messages={
            "required": "Select a file",
            "empty": "The selected file is empty",
            "invalid": "Select a file",
            "missing": "Select a file",
        },
    )

    @classmethod
    def refused(cls, message: str) -> AddEvidenceForm:
        """An empty form showing ``message`` on the file input (the upload was not read)."""
        form = cls()
        form.cleaned_data = {}
        form.add_error("evidence_file", message)
        return form

"""Two people edit one response: a refused save shows the current response, merged, not stale.

The forms are taken from the pages as a browser would submit them (hidden fields included),
so the values the form was opened with make the round trip the way they do for a person.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from django.urls import reverse

from vawg.strategy.models import Response, ResponseChange

CODE = "nfd21-1.1"
CONFLICT = "Changed by another user since you opened this form: now"


class _ChangeForm(HTMLParser):
    """The fields the change-response form would submit as it stands on the page."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self.inside = found.get("id") == "change-response"
        elif tag == "input" and self.inside and found.get("name"):
            if found.get("type") == "radio" and "checked" not in found:
                return
            self.fields[found["name"]] = found.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def form_of(html: str) -> dict[str, str]:
    parser = _ChangeForm()
    parser.feed(html)
    assert "revision" in parser.fields, "no change form on the page"
    return parser.fields


def open_form(client) -> dict[str, str]:
    return form_of(client.get(reverse("action", args=[CODE])).content.decode())


def save(client, fields: dict[str, str]):
    fields = {k: v for k, v in fields.items() if k != "csrfmiddlewaretoken"}
    return client.post(reverse("action-change-response", args=[CODE]), fields)


def test_changes_to_different_fields_both_stand_after_the_refused_save(signed_in, world):
    a_form = open_form(signed_in)
    b_form = open_form(signed_in)
    assert a_form["revision"] == b_form["revision"] == "1"
    assert a_form["opened_status"] == "in_progress"
    assert a_form["opened_due"] == "2001-01-31"

    # A changes the status only; B changes the due date only.
    assert save(signed_in, {**a_form, "status": "complete"}).status_code == 302
    refused = save(signed_in, {**b_form, "due-day": "15", "due-month": "9", "due-year": "2030"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Someone else changed this response since you opened it" in html

    # The form shown again has A's status (B never touched it), B's due date, the new revision
    # and the values of that revision as what it was opened with; nothing is in conflict.
    shown = form_of(html)
    assert shown["status"] == "complete"
    assert (shown["due-day"], shown["due-month"], shown["due-year"]) == ("15", "9", "2030")
    assert shown["rag"] == "red"
    assert shown["owner_role"] == "Head of Protecting Vulnerable People"
    assert shown["revision"] == "2"
    assert (shown["opened_status"], shown["opened_due"]) == ("complete", "2001-01-31")
    assert CONFLICT not in html

    # Saving it again keeps both changes.
    assert save(signed_in, shown).status_code == 302
    stored = Response.objects.get(pk=world.responses["1.1"].pk)
    assert (stored.status, stored.due, stored.rag, stored.revision) == (
        "complete",
        dt.date(2030, 9, 15),
        "red",
        3,
    )
    assert [(c.field, c.old_value, c.new_value) for c in stored.changes.order_by("id")] == [
        ("status", "in_progress", "complete"),
        ("due", "2001-01-31", "2030-09-15"),
    ]


def test_both_changing_one_field_keeps_b_value_and_names_a_value_beside_it(signed_in, world):
    a_form = open_form(signed_in)
    b_form = open_form(signed_in)
    assert save(signed_in, {**a_form, "status": "complete"}).status_code == 302
    refused = save(signed_in, {**b_form, "status": "embedded"})
    html = refused.content.decode()
    assert refused.status_code == 200

    shown = form_of(html)
    assert shown["status"] == "embedded"
    assert shown["revision"] == "2"
    assert (
        '<div id="status-conflict" class="govuk-inset-text govuk-!-margin-top-1 '
        'govuk-!-margin-bottom-3">Changed by another user since you opened this form: '
        "now ‘Complete’</div>"
    ) in html
    assert 'aria-describedby="status-conflict "' in html
    assert html.count(CONFLICT) == 1
    # Nothing of B's was saved yet.
    stored = Response.objects.get(pk=world.responses["1.1"].pk)
    assert (stored.status, stored.revision) == ("complete", 2)

    # B, having seen A's value, saves theirs on purpose: only the status changes again.
    assert save(signed_in, shown).status_code == 302
    stored.refresh_from_db()
    assert (stored.status, stored.rag, stored.revision) == ("embedded", "red", 3)
    assert ResponseChange.objects.filter(response=stored).count() == 2


def test_a_cleared_due_date_is_told_apart_from_an_untouched_one(signed_in, world):
    # 3.1 has no due date: "opened with none" must not read as "opened value unknown".
    code = "nfd21-3.1"
    page = reverse("action", args=[code])
    b_form = form_of(signed_in.get(page).content.decode())
    assert b_form["opened_due"] == ""
    a_form = form_of(signed_in.get(page).content.decode())
    post = reverse("action-change-response", args=[code])
    a_due = {"due-day": "1", "due-month": "4", "due-year": "2031"}
    assert signed_in.post(post, {**a_form, **a_due}).status_code == 302
    refused = signed_in.post(post, {**b_form, "rag": "amber"})
    shown = form_of(refused.content.decode())
    assert (shown["due-day"], shown["due-month"], shown["due-year"]) == ("1", "4", "2031")
    assert shown["rag"] == "amber"
    assert CONFLICT not in refused.content.decode()


def test_a_post_without_opened_values_shows_every_differing_field_as_a_conflict(signed_in, world):
    a_form = open_form(signed_in)
    assert save(signed_in, {**a_form, "rag": "green"}).status_code == 302
    old = {k: v for k, v in a_form.items() if not k.startswith("opened_")}
    html = save(signed_in, old).content.decode()
    shown = form_of(html)
    # Without knowing what was opened, the posted value is kept but A's is named beside it.
    assert shown["rag"] == "red"
    assert "now ‘Green’" in html
    assert html.count(CONFLICT) == 1

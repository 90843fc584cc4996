"""Control and text direction characters in typed text are refused, named and placed.

Pasted from Word they would show as boxes on pages and in PDFs, vanish from the Word paper and
(for a right-to-left override) reverse the text after them. The rule: such characters survive
or are reported, never silently cut. The forms report them; ordinary text of any kind passes.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vawg.accounts.restricted import PurposeForm
from vawg.strategy.models import Response, ResponseChange, Update
from vawg.strategy.responses import UpdateError, add_update, today_in_london
from vawg.web.forms import AddEvidenceForm, AddUpdateForm
from vawg.web.views.reports import PaperForm

CODE = "nfd21-1.1"
PREFIX = "Pasted from Word"  # 16 characters: a character after it is character 17


def update_post(client, text: str, author_role: str = "Head of Professional Standards"):
    today = today_in_london()
    return client.post(
        reverse("action-add-update", args=[CODE]),
        {
            "as_at-day": str(today.day),
            "as_at-month": str(today.month),
            "as_at-year": str(today.year),
            "text": text,
            "author_role": author_role,
        },
    )


@pytest.mark.parametrize(
    ("character", "message"),
    [
        ("\x01", "Update text contains a control character (U+0001) at character 17."),
        ("\x07", "Update text contains a control character (U+0007) at character 17."),
        ("\x0b", "Update text contains a control character (U+000B) at character 17."),
        ("\x1b", "Update text contains a control character (U+001B) at character 17."),
        ("\x7f", "Update text contains a control character (U+007F) at character 17."),
        ("\x85", "Update text contains a control character (U+0085) at character 17."),
        (
            "\u202e",
            "Update text contains a text direction control character (U+202E) at character 17.",
        ),
        (
            "\u2066",
            "Update text contains a text direction control character (U+2066) at character 17.",
        ),
    ],
    ids=["U+0001", "U+0007", "U+000B", "U+001B", "U+007F", "U+0085", "U+202E", "U+2066"],
)
def test_update_with_a_control_character_is_refused_naming_it_and_its_place(
    signed_in, world, character, message
):
    before = Update.objects.count()
    response = update_post(signed_in, f"{PREFIX}{character} and the rest")
    html = response.content.decode()
    assert response.status_code == 200
    assert Update.objects.count() == before
    full = f"{message} Remove it and try again."
    assert f'<a href="#text">{full}</a>' in html
    assert f'<span class="govuk-visually-hidden">Error:</span> {full}' in html
    assert "<title>Error: " in html


def test_position_counts_a_line_break_once_and_leading_spaces_as_typed(signed_in, world):
    # A browser sends a text area's line breaks as CR LF; the writer sees one character.
    response = update_post(signed_in, "  Line one\r\nLine two\x07")
    html = response.content.decode()
    assert (
        "Update text contains a control character (U+0007) at character 20. "
        "Remove it and try again."
    ) in html


def test_several_characters_are_counted_and_the_first_placed(signed_in, world):
    response = update_post(signed_in, "a\x0bb\x0bc\x01")
    html = response.content.decode()
    assert (
        "Update text contains 3 control characters, the first (U+000B) at character 2. "
        "Remove them and try again."
    ) in html


def test_author_role_is_checked_too(signed_in, world):
    response = update_post(signed_in, "Plain text", author_role="Head\x1b of PVP")
    html = response.content.decode()
    assert (
        '<a href="#author_role">Your role contains a control character (U+001B) at character 5. '
        "Remove it and try again.</a>"
    ) in html
    assert not Update.objects.filter(text="Plain text").exists()


ALLOWED = (
    "Tab\tseparated, new lines\r\nand a blank line\r\n\r\nthen more",
    "Smart quotes “like this” and ‘this’ – en dash — em dash … ellipsis",
    "Emoji \U0001f600 and a family \U0001f469\u200d\U0001f467 and a flag \U0001f1ec\U0001f1e7",
    "Other scripts: اردو, עברית, 中文, Ελληνικά, Кириллица, हिन्दी, Cymraeg ŵ ŷ",
)


@pytest.mark.parametrize("text", ALLOWED, ids=["tab-newlines", "quotes", "emoji", "scripts"])
def test_ordinary_text_of_any_kind_is_stored_as_typed(signed_in, world, text):
    response = update_post(signed_in, text)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Update.objects.latest("id").text == text


def test_change_response_refuses_a_direction_override_in_the_owner_role(signed_in, world):
    response = signed_in.post(
        reverse("action-change-response", args=[CODE]),
        {
            "revision": "1",
            "owner_role": "Head of \u202ePVP",
            "status": "in_progress",
            "rag": "red",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<a href="#owner_role">The owner&#x27;s role contains a text direction control '
        "character (U+202E) at character 9. Remove it and try again.</a>"
    ) in html
    assert Response.objects.get(pk=world.responses["1.1"].pk).revision == 1
    assert not ResponseChange.objects.exists()


def test_existing_stored_text_is_shown_unchanged(signed_in, world):
    # Text stored before the rule is not modified: it is shown (escaped) as held.
    Update.objects.create(
        response=world.responses["1.1"],
        as_at=dt.date(2022, 1, 1),
        text="Old text with a bell\x07 in it",
        author_role="Head of PVP",
    )
    html = signed_in.get(reverse("action", args=[CODE])).content.decode()
    assert "Old text with a bell\x07 in it" in html
    assert Update.objects.get(as_at=dt.date(2022, 1, 1)).text == "Old text with a bell\x07 in it"


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (
            lambda: AddUpdateForm({"text": "x\x07"}),
            "text",
            "Update text contains a control character (U+0007) at character 2.",
        ),
        (
            lambda: AddEvidenceForm(
                {"evidence_title": "Charter\x0c"},
                {"evidence_file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")},
            ),
            "evidence_title",
            "The title contains a control character (U+000C) at character 8.",
        ),
        (
            lambda: PaperForm({"board": "Board \u202dX", "format": "pdf"}),
            "board",
            "The board's name contains a text direction control character (U+202D) at character 7.",
        ),
        (
            lambda: PaperForm({"board": "Board", "agenda_item": "4\x08", "format": "pdf"}),
            "agenda_item",
            "The agenda item contains a control character (U+0008) at character 2.",
        ),
        (
            lambda: PurposeForm({"purpose": "Referral to MARAC\x00 today"}),
            "purpose",
            "The reason contains a control character (U+0000) at character 18.",
        ),
    ],
    ids=["update", "evidence title", "paper board", "agenda item", "restricted purpose"],
)
def test_every_free_text_form_field_refuses_them(db, form, field, message):
    bound = form()
    assert not bound.is_valid()
    assert bound.errors[field] == [f"{message} Remove it and try again."]


def test_the_domain_write_refuses_them_whatever_the_caller(world, user):
    with pytest.raises(UpdateError) as caught:
        add_update(
            response=world.responses["1.1"],
            as_at=dt.date(2024, 1, 1),
            text="From the command line\x1b[0m",
            author=user,
            author_role="Head of PVP",
        )
    assert caught.value.field == "text"
    assert str(caught.value) == (
        "Update text contains a control character (U+001B) at character 22. "
        "Remove it and try again."
    )

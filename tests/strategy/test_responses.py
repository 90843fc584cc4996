"""Writes to responses: append-only updates and revision-checked changes with history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from vawg.errors import VawgError
from vawg.strategy.models import (
    Action,
    DeliveryRag,
    Force,
    Framework,
    Pillar,
    Response,
    ResponseChange,
    Status,
    Update,
)
from vawg.strategy.responses import (
    ResponseChangeError,
    StaleResponseError,
    UpdateError,
    add_update,
    change_response,
)


@pytest.fixture
def response(db) -> Response:
    force = Force.objects.create(slug="cambridgeshire", name="Cambridgeshire Constabulary")
    framework = Framework.objects.create(
        code="nfd-2021",
        version=1,
        title="Framework",
        publisher="NPCC",
        published=dt.date(2021, 12, 1),
    )
    pillar = Pillar.objects.create(framework=framework, code="p1", number=1, title="Trust")
    action = Action.objects.create(
        pillar=pillar,
        code="nfd21-1.1",
        number="1.1",
        position=1,
        title="Review",
        description="Review allegations.",
    )
    return Response.objects.create(
        force=force,
        action=action,
        owner_role="Head of Professional Standards",
        status=Status.NOT_STARTED,
        rag=DeliveryRag.AMBER,
        due=dt.date(2022, 3, 31),
    )


@pytest.fixture
def people(db):
    model = get_user_model()
    return model.objects.create_user("first"), model.objects.create_user("second")


def test_add_update_stores_text_author_and_date(response, people):
    update = add_update(
        response=response,
        as_at=dt.date(2024, 5, 1),
        text="  Review complete.  ",
        author=people[0],
        author_role="Head of Professional Standards",
        today=dt.date(2024, 5, 2),
    )
    assert Update.objects.get() == update
    assert (update.text, update.author, update.as_at) == (
        "Review complete.",
        people[0],
        dt.date(2024, 5, 1),
    )


@pytest.mark.parametrize(
    ("as_at", "text", "field"),
    [
        (dt.date(2024, 5, 1), "   ", "text"),
        (dt.date(2024, 5, 3), "Tomorrow's news", "as_at"),
    ],
)
def test_add_update_refuses_blank_text_and_future_dates(response, people, as_at, text, field):
    with pytest.raises(UpdateError) as caught:
        add_update(
            response=response,
            as_at=as_at,
            text=text,
            author=people[0],
            author_role="Analyst",
            today=dt.date(2024, 5, 2),
        )
    assert caught.value.field == field
    assert isinstance(caught.value, VawgError)
    assert not Update.objects.exists()


def change(response, revision, user, **fields):
    values = {
        "owner_role": response.owner_role,
        "status": response.status,
        "rag": response.rag,
        "due": response.due,
    }
    values.update(fields)
    return change_response(response=response, expected_revision=revision, user=user, **values)


def test_change_records_one_row_per_changed_field_and_raises_the_revision(response, people):
    changed = change(response, 1, people[0], status=Status.IN_PROGRESS, due=None)
    assert changed.revision == 2
    assert changed.status == "in_progress"
    assert changed.due is None
    rows = {c.field: (c.old_value, c.new_value, c.changed_by) for c in ResponseChange.objects.all()}
    assert rows == {
        "status": ("not_started", "in_progress", people[0]),
        "due": ("2022-03-31", "", people[0]),
    }


def test_second_save_from_the_same_revision_is_refused(response, people):
    first_copy = Response.objects.get(pk=response.pk)
    second_copy = Response.objects.get(pk=response.pk)
    change(first_copy, 1, people[0], rag=DeliveryRag.GREEN, owner_role="Detective Chief Inspector")
    with pytest.raises(StaleResponseError) as caught:
        change(second_copy, 1, people[1], rag=DeliveryRag.RED)
    assert isinstance(caught.value, VawgError)
    assert caught.value.response.revision == 2
    stored = Response.objects.get(pk=response.pk)
    assert (stored.revision, stored.rag, stored.owner_role) == (
        2,
        "green",
        "Detective Chief Inspector",
    )
    assert ResponseChange.objects.count() == 2
    assert set(ResponseChange.objects.values_list("changed_by__username", flat=True)) == {"first"}


def test_a_save_that_changes_nothing_writes_nothing(response, people):
    same = change(response, 1, people[0])
    assert same.revision == 1
    assert not ResponseChange.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"owner_role": " "}, "owner_role"), ({"status": "done"}, "status"), ({"rag": "blue"}, "rag")],
)
def test_change_refuses_values_outside_the_choices(response, people, fields, field):
    with pytest.raises(ResponseChangeError) as caught:
        change(response, 1, people[0], **fields)
    assert caught.value.field == field
    assert Response.objects.get(pk=response.pk).revision == 1

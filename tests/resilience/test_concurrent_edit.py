"""Two people editing the same response: the first change is saved, the second is refused with
a clear message, and neither person's typing is lost.

Through the pages: two users open the action page, both read revision N; the first save goes
through, the second is refused with the "someone else changed this response" message, the
second person's values are still in their re-rendered form (with the new revision, so they can
save again on purpose), and the history holds exactly the first change.

At the service level on PostgreSQL: two threads change the response from the same revision
while the first holds its transaction open; the second waits for the row lock
(``SELECT ... FOR UPDATE``) and is then refused with ``StaleResponseError``.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from vawg.strategy.models import Response, ResponseChange
from vawg.strategy.responses import StaleResponseError, change_response

CODE = "nfd21-2.3"
STALE_TEXT = "Someone else changed this response since you opened it"

ALICE = {
    "owner_role": "Detective Superintendent, Public Protection",
    "status": "complete",
    "rag": "green",
    "due": dt.date(2030, 3, 31),
}
BOB = {"owner_role": "Head of Crime (Bob's view) & partners", "status": "not_started",
       "rag": "red", "due": dt.date(2031, 7, 4)}  # fmt: skip


def _client_for(username: str) -> tuple[Client, object]:
    user = get_user_model().objects.create_superuser(
        username=username, password="correct-horse-battery-staple"
    )
    client = Client()
    try:
        from vawg.accounts.testing import sign_in
    except ImportError:  # before access control existed
        client.force_login(user)
    else:
        sign_in(client, user)
    return client, user


def _revision(html: str) -> int:
    match = re.search(r'name="revision" value="(\d+)"', html)
    assert match, "no revision in the change form"
    return int(match.group(1))


def _form(values: dict, revision: int) -> dict[str, str]:
    due = values["due"]
    return {
        "owner_role": values["owner_role"],
        "status": values["status"],
        "rag": values["rag"],
        "due-day": str(due.day),
        "due-month": str(due.month),
        "due-year": str(due.year),
        "revision": str(revision),
    }


def _input_value(html: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    return htmllib.unescape(match.group(1)) if match else None


def _checked(html: str, name: str) -> list[str]:
    found = []
    for tag in re.findall(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html):
        if re.search(r"\bchecked\b", tag):
            found.append(re.search(r'value="([^"]*)"', tag).group(1))
    return found


def test_second_save_from_the_same_revision_is_refused_and_keeps_both_texts(world) -> None:
    alice, alice_user = _client_for("alice")
    bob, _ = _client_for("bob")
    page = reverse("action", args=[CODE])
    save = reverse("action-change-response", args=[CODE])
    response = world.responses["2.3"]
    start = Response.objects.get(pk=response.pk).revision

    # Both open the page and read the same revision.
    alice_page = alice.get(page)
    bob_page = bob.get(page)
    assert alice_page.status_code == bob_page.status_code == 200
    assert _revision(alice_page.content.decode()) == _revision(bob_page.content.decode()) == start

    # The first save goes through.
    first = alice.post(save, _form(ALICE, start))
    assert first.status_code == 302, first.content.decode()[:2000]

    # The second is refused, clearly, and Bob's typing is still on his form.
    second = bob.post(save, _form(BOB, start))
    assert second.status_code == 200
    html = second.content.decode()
    assert STALE_TEXT in html
    assert "govuk-error-summary" in html
    assert _input_value(html, "owner_role") == BOB["owner_role"]
    assert _input_value(html, "due-day") == str(BOB["due"].day)
    assert _input_value(html, "due-month") == str(BOB["due"].month)
    assert _input_value(html, "due-year") == str(BOB["due"].year)
    assert _checked(html, "status") == [BOB["status"]]
    assert _checked(html, "rag") == [BOB["rag"]]
    # ... with the new revision, so that saving again is a deliberate overwrite.
    assert _revision(html) == start + 1
    # The page shows the response as Alice left it.
    assert htmllib.escape(ALICE["owner_role"], quote=False) in html

    # Alice's values are saved; the history holds exactly her change.
    stored = Response.objects.get(pk=response.pk)
    assert stored.revision == start + 1
    assert (stored.owner_role, stored.status, stored.rag, stored.due) == tuple(ALICE.values())
    changes = list(ResponseChange.objects.filter(response=response).order_by("id"))
    assert {(c.field, c.new_value, c.changed_by_id) for c in changes} == {
        ("owner_role", ALICE["owner_role"], alice_user.pk),
        ("status", ALICE["status"], alice_user.pk),
        ("rag", ALICE["rag"], alice_user.pk),
        ("due", ALICE["due"].isoformat(), alice_user.pk),
    }

    # Bob, having seen Alice's change, saves his values again on purpose: that goes through.
    again = bob.post(save, _form(BOB, _revision(html)))
    assert again.status_code == 302
    stored.refresh_from_db()
    assert (stored.owner_role, stored.status, stored.rag, stored.due) == tuple(BOB.values())
    assert ResponseChange.objects.filter(response=response).count() == 8


@pytest.mark.django_db(transaction=True)
def test_two_threads_from_one_revision_one_waits_for_the_lock_and_is_refused(
    world, monkeypatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks between threads need PostgreSQL (SQLite serialises writers)")
    response = world.responses["2.3"]
    start = Response.objects.get(pk=response.pk).revision
    users = {name: _client_for(name)[1] for name in ("first", "second")}
    holding = threading.Event()
    original = ResponseChange.objects.bulk_create

    def slow_bulk_create(*args, **kwargs):
        # The first writer holds its transaction (and the row lock) open for a while.
        if threading.current_thread().name == "first":
            holding.set()
            time.sleep(1.0)
        return original(*args, **kwargs)

    monkeypatch.setattr(ResponseChange.objects, "bulk_create", slow_bulk_create)
    outcome: dict[str, object] = {}
    took: dict[str, float] = {}

    def write(name: str, values: dict) -> None:
        began = time.perf_counter()
        try:
            outcome[name] = change_response(
                response=response, expected_revision=start, user=users[name], **values
            )
        except Exception as exc:  # recorded for the assertions below
            outcome[name] = exc
        finally:
            took[name] = time.perf_counter() - began
            connections.close_all()

    first = threading.Thread(target=write, args=("first", ALICE), name="first")
    first.start()
    assert holding.wait(10), "the first writer never reached its commit"
    second = threading.Thread(target=write, args=("second", BOB), name="second")
    second.start()
    first.join(30)
    second.join(30)

    assert isinstance(outcome["first"], Response), outcome["first"]
    assert isinstance(outcome["second"], StaleResponseError), outcome["second"]
    assert "Your change was not saved" in str(outcome["second"])
    # The second writer waited for the first one's lock rather than reading a stale row.
    assert took["second"] > 0.5, f"the second writer did not wait ({took['second']:.2f} s)"
    stored = Response.objects.get(pk=response.pk)
    assert stored.revision == start + 1
    assert (stored.owner_role, stored.status, stored.rag, stored.due) == tuple(ALICE.values())
    assert set(
        ResponseChange.objects.filter(response=response).values_list("changed_by", flat=True)
    ) == {users["first"].pk}


@pytest.mark.django_db(transaction=True)
def test_many_simultaneous_writers_one_wins_per_revision(world) -> None:
    """Ten threads released together from one revision: exactly one change is kept."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers from threads need PostgreSQL")
    response = world.responses["2.3"]
    start = Response.objects.get(pk=response.pk).revision
    user = _client_for("writer")[1]
    barrier = threading.Barrier(10)
    results: list[object] = []
    lock = threading.Lock()

    def write(i: int) -> None:
        try:
            barrier.wait(10)
            result = change_response(
                response=response,
                expected_revision=start,
                owner_role=f"Owner number {i}",
                status="complete",
                rag="green",
                due=None,
                user=user,
            )
        except Exception as exc:  # recorded for the assertions below
            result = exc
        finally:
            connections.close_all()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    won = [r for r in results if isinstance(r, Response)]
    refused = [r for r in results if isinstance(r, StaleResponseError)]
    assert len(won) == 1 and len(refused) == 9, results
    stored = Response.objects.get(pk=response.pk)
    assert stored.revision == start + 1
    assert stored.owner_role == won[0].owner_role
    owners = ResponseChange.objects.filter(response=response, field="owner_role")
    assert list(owners.values_list("new_value", flat=True)) == [won[0].owner_role]

"""The responses pack: what a force does about each national action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from vawg.strategy.pack_schema.checks import _Checker, _describe, _item_name
from vawg.strategy.pack_schema.force_strategy import StrategyPack
from vawg.strategy.pack_schema.framework import FrameworkPack
from vawg.strategy.pack_schema.loading import _load_yaml

__all__ = [
    "RAGS",
    "STATUSES",
    "PackEvidence",
    "PackResponse",
    "PackUpdate",
    "ResponsesPack",
    "read_responses_pack",
]

STATUSES = ("not_started", "in_progress", "complete", "embedded")
"""Delivery status of a response to a national action."""

RAGS = ("red", "amber", "green")
"""Delivery RAG of a response to a national action."""

RESPONSES_KIND = "responses"


@dataclass(frozen=True)
class PackEvidence:
    """A piece of evidence for a response: a title and a link to the file or page."""

    title: str
    url: str


@dataclass(frozen=True)
class PackUpdate:
    """A dated narrative update on a response."""

    date: dt.date
    author_role: str
    text: str


@dataclass(frozen=True)
class PackResponse:
    """What a force does about one national action."""

    action: str
    owner_role: str
    status: str
    rag: str
    due: dt.date | None
    evidence: tuple[PackEvidence, ...]
    updates: tuple[PackUpdate, ...]


@dataclass(frozen=True)
class ResponsesPack:
    """A force's responses to the actions of one framework edition, under one strategy."""

    id: str
    force: str
    framework: str
    strategy: str
    responses: tuple[PackResponse, ...]


# --- Responses ---------------------------------------------------------------------------------


def read_responses_pack(
    path: Path, framework: FrameworkPack, strategy: StrategyPack
) -> ResponsesPack:
    """Read and validate a force's responses to the actions of ``framework``.

    Checks, besides the shared rules: the pack names ``framework``, ``strategy`` and the
    strategy's force; each response names a framework action, at most once; status and RAG
    come from :data:`STATUSES` and :data:`RAGS`; evidence has a title and a URL with a scheme;
    every update has a real date, an author role and non-empty text.

    Raises:
        PackError: the file is missing, not YAML, or breaks a rule.
    """
    path = Path(path)
    check = _Checker(path)
    if strategy.framework != framework.id:
        check.fail(
            "pack",
            f"strategy {strategy.id} is built on framework {strategy.framework}, "
            f"not {framework.id}; load the matching framework",
        )
    data = check.mapping(
        _load_yaml(path),
        "pack",
        required=("id", "kind", "force", "framework", "strategy", "responses"),
    )

    check.expect(data, "kind", "pack", RESPONSES_KIND)
    check.expect(data, "framework", "pack", framework.id)
    check.expect(data, "strategy", "pack", strategy.id)
    check.expect(data, "force", "pack", strategy.force)
    pack_id = check.slug(data, "id", "pack")

    action_ids = {action.id for action in framework.actions}
    responses: dict[str, PackResponse] = {}
    for position, raw in enumerate(check.sequence(data, "responses", "pack"), 1):
        item = _item_name("response", raw, "action", position)
        response = _read_response(
            check, raw, item, framework_id=framework.id, action_ids=action_ids
        )
        if response.action in responses:
            check.fail(item, f"a second response to {response.action}; expected one per action")
        responses[response.action] = response

    return ResponsesPack(
        id=pack_id,
        force=strategy.force,
        framework=framework.id,
        strategy=strategy.id,
        responses=tuple(responses.values()),
    )


def _read_response(
    check: _Checker,
    raw: object,
    item: str,
    *,
    framework_id: str,
    action_ids: Collection[str],
) -> PackResponse:
    """Read one response with its evidence and updates."""
    data = check.mapping(
        raw,
        item,
        required=("action", "owner_role", "status", "rag"),
        optional=("due", "evidence", "updates"),
    )
    action = data.get("action")
    if action not in action_ids:
        check.fail(
            item, f"action: {_describe(action)} is not an action of framework {framework_id}"
        )

    evidence = tuple(
        _read_evidence(check, raw_evidence, f"{item} evidence #{position}")
        for position, raw_evidence in enumerate(check.sequence(data, "evidence", item), 1)
    )
    updates = tuple(
        _read_update(check, raw_update, f"{item} update #{position}")
        for position, raw_update in enumerate(check.sequence(data, "updates", item), 1)
    )
    return PackResponse(
        action=action,
        owner_role=check.text(data, "owner_role", item),
        status=check.choice(data, "status", item, STATUSES),
        rag=check.choice(data, "rag", item, RAGS),
        due=check.optional_date(data, "due", item),
        evidence=evidence,
        updates=updates,
    )


def _read_evidence(check: _Checker, raw: object, item: str) -> PackEvidence:
    """Read one evidence entry: a title and a URL such as ``evidence://slug`` or https."""
    data = check.mapping(raw, item, required=("title", "url"))
    url = check.text(data, "url", item)
    parts = urlsplit(url)
    if not parts.scheme or not (parts.netloc or parts.path):
        check.fail(
            item,
            f"url: expected a link with a scheme, e.g. 'evidence://name' or 'https://...', "
            f"found {url!r}",
        )
    return PackEvidence(title=check.text(data, "title", item), url=url)


def _read_update(check: _Checker, raw: object, item: str) -> PackUpdate:
    """Read one dated narrative update."""
    data = check.mapping(raw, item, required=("date", "author_role", "text"))
    return PackUpdate(
        date=check.date(data, "date", item),
        author_role=check.text(data, "author_role", item),
        text=check.text(data, "text", item),
    )

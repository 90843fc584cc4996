"""Read and validate strategy packs: the national framework, a force strategy, its responses.

A pack is a versioned YAML file with stable ids. This module turns one into frozen dataclasses,
or raises :class:`PackError` naming the file, the item and what was expected. It imports no
Django, so the loading command, the tests and any script share the same rules.

Three kinds of pack exist, read in dependency order:

- ``framework``: the national framework, its pillars and numbered actions;
- ``force-strategy``: a force's aims, phases and improvement projects, and how each national
  action links to them (needs the framework);
- ``responses``: what the force does about each action (needs the framework and strategy).

Rules shared by all three: unknown keys are refused, so a typo cannot pass silently; ids are
unique across the whole pack; dates are real calendar dates written ``YYYY-MM-DD``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import yaml

from vawg.errors import VawgError

__all__ = [
    "MILESTONE_STATUSES",
    "RAGS",
    "STATUSES",
    "FrameworkPack",
    "PackAction",
    "PackAim",
    "PackError",
    "PackEvidence",
    "PackLink",
    "PackMilestone",
    "PackPhase",
    "PackPillar",
    "PackProject",
    "PackResponse",
    "PackUpdate",
    "ResponsesPack",
    "StrategyPack",
    "read_framework_pack",
    "read_responses_pack",
    "read_strategy_pack",
]

STATUSES = ("not_started", "in_progress", "complete", "embedded")
"""Delivery status of a response to a national action."""

RAGS = ("red", "amber", "green")
"""Delivery RAG of a response to a national action."""

MILESTONE_STATUSES = ("not_started", "in_progress", "complete")
"""Status of a project milestone (a milestone is done or not: it is never "embedded")."""

FRAMEWORK_KIND = "framework"
STRATEGY_KIND = "force-strategy"
RESPONSES_KIND = "responses"

MAX_ACTION_TITLE = 80
"""Longest action title, in characters: titles appear in tables and chart labels."""

_ID_RE = re.compile(r"^[a-z0-9]+(?:[.\-_][a-z0-9]+)*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ACTION_NUMBER_RE = re.compile(r"^([1-9]\d*)\.([1-9]\d*)$")


class PackError(VawgError, ValueError):
    """A pack file that cannot be used, with the file, the item and what to fix.

    A :class:`ValueError` too, so callers that only know "bad value" still catch it.

    >>> str(PackError(Path("packs/a.yaml"), "pillar p2", "expected 12 actions, found 11"))
    'a.yaml: pillar p2: expected 12 actions, found 11'
    """

    def __init__(self, path: Path | str, item: str, message: str) -> None:
        self.path = Path(path)
        self.item = item
        self.message = message
        super().__init__(f"{self.path.name}: {item}: {message}")


# --- Dataclasses -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackAction:
    """One numbered action of the national framework, e.g. ``2.3``."""

    id: str
    number: str
    title: str
    description: str
    pillar_id: str


@dataclass(frozen=True)
class PackPillar:
    """One pillar of the national framework and its actions in number order."""

    id: str
    number: int
    title: str
    summary: str
    actions: tuple[PackAction, ...]


@dataclass(frozen=True)
class FrameworkPack:
    """One edition of the national framework."""

    id: str
    version: int
    title: str
    publisher: str
    published: dt.date
    source_note: str
    pillars: tuple[PackPillar, ...]

    @property
    def actions(self) -> tuple[PackAction, ...]:
        """Every action of every pillar, in pillar then number order."""
        return tuple(action for pillar in self.pillars for action in pillar.actions)


@dataclass(frozen=True)
class PackAim:
    """One strategic aim of a force strategy."""

    id: str
    title: str
    description: str


@dataclass(frozen=True)
class PackPhase:
    """One delivery phase of a force strategy."""

    id: str
    number: int
    title: str
    description: str


@dataclass(frozen=True)
class PackMilestone:
    """One milestone on an improvement project's route map."""

    id: str
    title: str
    due: dt.date | None
    status: str


@dataclass(frozen=True)
class PackProject:
    """One improvement project of a force strategy. ``phase`` and ``aims`` hold ids."""

    id: str
    name: str
    focus: str
    description: str
    phase: str
    aims: tuple[str, ...]
    lead_role: str
    milestones: tuple[PackMilestone, ...]


@dataclass(frozen=True)
class PackLink:
    """The aims and projects through which a force strategy delivers one national action."""

    action: str
    aims: tuple[str, ...]
    projects: tuple[str, ...]


@dataclass(frozen=True)
class StrategyPack:
    """A force's VAWG strategy, built on one edition of the national framework."""

    id: str
    version: int
    force: str
    force_name: str
    title: str
    framework: str
    approved: dt.date
    aims: tuple[PackAim, ...]
    phases: tuple[PackPhase, ...]
    projects: tuple[PackProject, ...]
    links: tuple[PackLink, ...]


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


# --- YAML loading ------------------------------------------------------------------------------


class _PackLoader(yaml.SafeLoader):
    """A safe loader that keeps dates as text and refuses a key repeated in one mapping.

    NOTE: PyYAML turns ``2022-02-30`` into an exception of its own and ``2022-05-30 10:00``
    into a datetime. Keeping dates as text lets :meth:`_Checker.date` refuse both with a
    message naming the item.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Build a mapping, refusing a key that appears twice (PyYAML keeps the last)."""
        first_lines: dict[Any, int] = {}
        for key_node, _value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                continue
            key = self.construct_object(key_node, deep=deep)
            if key in first_lines:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"key {key!r} appears twice in one mapping "
                    f"(first on line {first_lines[key]}); each key may appear once",
                    key_node.start_mark,
                )
            first_lines[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


_PackLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load_yaml(path: Path) -> object:
    """Parse one YAML file, turning read and syntax errors into :class:`PackError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackError(path, "file", "not found; expected a YAML pack at this path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(path, "file", f"cannot be read as UTF-8 text ({exc})") from None

    loader = _PackLoader(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = exc.problem or exc.context or "not valid YAML"
        raise PackError(path, "YAML syntax", f"{where}{problem}") from None
    except yaml.YAMLError as exc:
        raise PackError(path, "YAML syntax", str(exc)) from None
    finally:
        loader.dispose()


# --- Checking helpers --------------------------------------------------------------------------


def _describe(value: object) -> str:
    """Name what was found, for 'expected X, found Y' messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the true/false value {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}" if value.strip() else "empty text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class _Checker:
    """Typed reads from parsed YAML for one file; every failure is a :class:`PackError`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._id_owners: dict[str, str] = {}

    def fail(self, item: str, message: str) -> NoReturn:
        """Raise a :class:`PackError` for this file."""
        raise PackError(self.path, item, message)

    def claim_id(self, value: str, item: str) -> None:
        """Record an id, refusing one already used anywhere in this pack."""
        owner = self._id_owners.get(value)
        if owner is not None:
            self.fail(item, f"id {value!r} is already used by {owner}; ids must be unique")
        self._id_owners[value] = item

    def mapping(
        self,
        value: object,
        item: str,
        *,
        required: Collection[str],
        optional: Collection[str] = (),
    ) -> dict[str, Any]:
        """Check ``value`` is a mapping with every required key and no unknown key."""
        if not isinstance(value, dict):
            self.fail(item, f"expected a mapping of keys to values, found {_describe(value)}")

        allowed = [*required, *optional]
        unknown = [key for key in value if key not in allowed]
        if unknown:
            self.fail(
                item,
                f"unknown key {unknown[0]!r}; expected only: {', '.join(allowed)}",
            )
        missing = [key for key in required if key not in value]
        if missing:
            self.fail(item, f"missing required key {missing[0]!r}")
        return value

    def text(
        self, data: Mapping[str, Any], key: str, item: str, *, max_length: int | None = None
    ) -> str:
        """Read non-empty text, optionally no longer than ``max_length`` characters."""
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(item, f"{key}: expected non-empty text, found {_describe(value)}")
        if max_length is not None and len(value) > max_length:
            self.fail(item, f"{key}: expected at most {max_length} characters, found {len(value)}")
        return value.strip()

    def slug(self, data: Mapping[str, Any], key: str, item: str) -> str:
        """Read an id: lower-case letters and digits, joined by single '.', '-' or '_'."""
        value = data.get(key)
        if not isinstance(value, str) or not _ID_RE.match(value):
            self.fail(
                item,
                f"{key}: expected an id of lower-case letters and digits joined by '.', '-' "
                f"or '_' (e.g. 'nfd21-2.3'), found {_describe(value)}",
            )
        return value

    def choice(self, data: Mapping[str, Any], key: str, item: str, choices: Sequence[str]) -> str:
        """Read one of a fixed set of values."""
        value = data.get(key)
        if value not in choices:
            self.fail(
                item, f"{key}: expected one of {', '.join(choices)}; found {_describe(value)}"
            )
        return str(value)

    def expect(self, data: Mapping[str, Any], key: str, item: str, wanted: str) -> str:
        """Read a value that must equal ``wanted`` (a kind or a reference to another pack)."""
        value = data.get(key)
        if value != wanted:
            self.fail(item, f"{key}: expected {wanted!r}, found {_describe(value)}")
        return wanted

    def positive_int(self, data: Mapping[str, Any], key: str, item: str) -> int:
        """Read a whole number of 1 or more."""
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(
                item, f"{key}: expected a whole number of 1 or more, found {_describe(value)}"
            )
        return value

    def date(self, data: Mapping[str, Any], key: str, item: str) -> dt.date:
        """Read a real calendar date written YYYY-MM-DD."""
        value = data.get(key)
        if isinstance(value, str) and _DATE_RE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(item, f"{key}: expected a real date written YYYY-MM-DD, found {_describe(value)}")

    def optional_date(self, data: Mapping[str, Any], key: str, item: str) -> dt.date | None:
        """Read a date that may be absent or null."""
        if data.get(key) is None:
            return None
        return self.date(data, key, item)

    def sequence(
        self, data: Mapping[str, Any], key: str, item: str, *, min_items: int = 0
    ) -> list[Any]:
        """Read a list (an absent optional list reads as empty)."""
        value = data.get(key, [])
        if not isinstance(value, list):
            self.fail(item, f"{key}: expected a list, found {_describe(value)}")
        if len(value) < min_items:
            self.fail(item, f"{key}: expected at least {min_items} entries, found {len(value)}")
        return value

    def id_list(
        self,
        data: Mapping[str, Any],
        key: str,
        item: str,
        *,
        known: Collection[str],
        what: str,
        min_items: int = 0,
    ) -> tuple[str, ...]:
        """Read a list of ids, each naming a known ``what``, none repeated."""
        values = self.sequence(data, key, item, min_items=min_items)
        seen: list[str] = []
        for value in values:
            if not isinstance(value, str) or value not in known:
                self.fail(
                    item,
                    f"{key}: {_describe(value)} is not a known {what}; "
                    f"expected one of: {', '.join(sorted(known))}",
                )
            if value in seen:
                self.fail(item, f"{key}: {value!r} is listed twice")
            seen.append(value)
        return tuple(seen)


def _item_name(kind: str, raw: object, key: str, position: int) -> str:
    """Name a list entry by its id (or action), falling back to its position."""
    if isinstance(raw, dict):
        value = raw.get(key)
        if isinstance(value, str) and value.strip():
            return f"{kind} {value}"
    return f"{kind} #{position}"


# --- Framework ---------------------------------------------------------------------------------


def read_framework_pack(path: Path) -> FrameworkPack:
    """Read and validate a national framework pack.

    Checks, besides the shared rules: pillars numbered 1..n; each action numbered
    ``<pillar>.<n>`` with n running 1..count without gaps; each pillar holding exactly the
    number of actions that ``expected_actions`` states for it.

    Raises:
        PackError: the file is missing, not YAML, or breaks a rule.
    """
    path = Path(path)
    check = _Checker(path)
    data = check.mapping(
        _load_yaml(path),
        "pack",
        required=(
            "id",
            "kind",
            "version",
            "title",
            "publisher",
            "published",
            "source_note",
            "expected_actions",
            "pillars",
        ),
    )

    check.expect(data, "kind", "pack", FRAMEWORK_KIND)
    pack_id = check.slug(data, "id", "pack")
    check.claim_id(pack_id, "pack")
    expected = _read_expected_actions(check, data)

    pillars = tuple(
        _read_pillar(check, raw, _item_name("pillar", raw, "id", position), expected)
        for position, raw in enumerate(check.sequence(data, "pillars", "pack", min_items=1), 1)
    )
    _check_pillar_numbers(check, pillars, expected)

    return FrameworkPack(
        id=pack_id,
        version=check.positive_int(data, "version", "pack"),
        title=check.text(data, "title", "pack"),
        publisher=check.text(data, "publisher", "pack"),
        published=check.date(data, "published", "pack"),
        source_note=check.text(data, "source_note", "pack"),
        pillars=pillars,
    )


def _read_expected_actions(check: _Checker, data: Mapping[str, Any]) -> dict[int, int]:
    """Read ``expected_actions``: pillar number -> number of actions."""
    raw = data.get("expected_actions")
    if not isinstance(raw, dict) or not raw:
        check.fail(
            "pack",
            "expected_actions: expected a mapping of pillar number to action count, "
            f"e.g. {{1: 14, 2: 12}}, found {_describe(raw)}",
        )

    counts: dict[int, int] = {}
    for pillar_number, count in raw.items():
        for part in (pillar_number, count):
            if isinstance(part, bool) or not isinstance(part, int) or part < 1:
                check.fail(
                    "pack",
                    f"expected_actions: expected whole numbers of 1 or more, "
                    f"found {_describe(part)}",
                )
        counts[pillar_number] = count
    return counts


def _read_pillar(
    check: _Checker, raw: object, item: str, expected: Mapping[int, int]
) -> PackPillar:
    """Read one pillar and its actions, checking their numbering and count."""
    data = check.mapping(raw, item, required=("id", "number", "title", "summary", "actions"))
    pillar_id = check.slug(data, "id", item)
    check.claim_id(pillar_id, item)
    number = check.positive_int(data, "number", item)
    if number not in expected:
        check.fail(item, f"pillar number {number} is not listed in expected_actions")

    actions = tuple(
        _read_action(
            check, raw_action, _item_name("action", raw_action, "id", position), pillar_id, number
        )
        for position, raw_action in enumerate(check.sequence(data, "actions", item), 1)
    )

    if len(actions) != expected[number]:
        check.fail(item, f"expected {expected[number]} actions, found {len(actions)}")
    for position, action in enumerate(actions, 1):
        wanted = f"{number}.{position}"
        if action.number != wanted:
            check.fail(
                item,
                f"action numbers must run {number}.1 to {number}.{len(actions)} in order "
                f"without gaps; found {action.number!r} where {wanted!r} was expected",
            )

    return PackPillar(
        id=pillar_id,
        number=number,
        title=check.text(data, "title", item),
        summary=check.text(data, "summary", item),
        actions=actions,
    )


def _read_action(
    check: _Checker, raw: object, item: str, pillar_id: str, pillar_number: int
) -> PackAction:
    """Read one action, checking its number belongs to its pillar."""
    data = check.mapping(raw, item, required=("id", "number", "title", "description"))
    action_id = check.slug(data, "id", item)
    check.claim_id(action_id, item)

    number = data.get("number")
    if isinstance(number, float):
        check.fail(
            item,
            f'number: found the bare number {number}; write it in quotes (e.g. "1.10") '
            "so that 1.10 is not read as 1.1",
        )
    match = _ACTION_NUMBER_RE.match(number) if isinstance(number, str) else None
    if match is None:
        check.fail(
            item, f'number: expected text like "{pillar_number}.3", found {_describe(number)}'
        )
    if int(match.group(1)) != pillar_number:
        check.fail(
            item,
            f"number {number!r} does not belong to pillar {pillar_number}; "
            f"expected '{pillar_number}.<n>'",
        )

    return PackAction(
        id=action_id,
        number=number,
        title=check.text(data, "title", item, max_length=MAX_ACTION_TITLE),
        description=check.text(data, "description", item),
        pillar_id=pillar_id,
    )


def _check_pillar_numbers(
    check: _Checker, pillars: Sequence[PackPillar], expected: Mapping[int, int]
) -> None:
    """Check pillars run 1..n in order and ``expected_actions`` names no missing pillar."""
    for position, pillar in enumerate(pillars, 1):
        if pillar.number != position:
            check.fail(
                f"pillar {pillar.id}",
                f"pillars must be numbered 1 to {len(pillars)} in order; "
                f"found {pillar.number} where {position} was expected",
            )
    absent = sorted(set(expected) - {pillar.number for pillar in pillars})
    if absent:
        check.fail("pack", f"expected_actions names pillar {absent[0]}, which the pack lacks")


# --- Force strategy ----------------------------------------------------------------------------


def read_strategy_pack(path: Path, framework: FrameworkPack) -> StrategyPack:
    """Read and validate a force strategy pack built on ``framework``.

    Checks, besides the shared rules: the pack names ``framework``; phases are numbered 1..n;
    each project's phase and aims exist; milestone statuses come from
    :data:`MILESTONE_STATUSES`; each link names a framework action (at most one link per
    action) with at least one aim, and its aims and projects exist.

    NOTE: a strategy need not link every action; a missing link shows as a gap in the tracker
    rather than stopping the load.

    Raises:
        PackError: the file is missing, not YAML, or breaks a rule.
    """
    path = Path(path)
    check = _Checker(path)
    data = check.mapping(
        _load_yaml(path),
        "pack",
        required=(
            "id",
            "kind",
            "version",
            "force",
            "force_name",
            "framework",
            "title",
            "approved",
            "aims",
            "phases",
            "projects",
            "links",
        ),
    )

    check.expect(data, "kind", "pack", STRATEGY_KIND)
    check.expect(data, "framework", "pack", framework.id)
    pack_id = check.slug(data, "id", "pack")
    check.claim_id(pack_id, "pack")

    aims = tuple(
        _read_aim(check, raw, _item_name("aim", raw, "id", position))
        for position, raw in enumerate(check.sequence(data, "aims", "pack", min_items=1), 1)
    )
    phases = tuple(
        _read_phase(check, raw, _item_name("phase", raw, "id", position), position)
        for position, raw in enumerate(check.sequence(data, "phases", "pack", min_items=1), 1)
    )
    aim_ids = [aim.id for aim in aims]
    phase_ids = [phase.id for phase in phases]
    projects = tuple(
        _read_project(
            check,
            raw,
            _item_name("project", raw, "id", position),
            aim_ids=aim_ids,
            phase_ids=phase_ids,
        )
        for position, raw in enumerate(check.sequence(data, "projects", "pack"), 1)
    )
    links = _read_links(
        check,
        check.sequence(data, "links", "pack"),
        framework=framework,
        aim_ids=aim_ids,
        project_ids=[project.id for project in projects],
    )

    return StrategyPack(
        id=pack_id,
        version=check.positive_int(data, "version", "pack"),
        force=check.slug(data, "force", "pack"),
        force_name=check.text(data, "force_name", "pack"),
        title=check.text(data, "title", "pack"),
        framework=framework.id,
        approved=check.date(data, "approved", "pack"),
        aims=aims,
        phases=phases,
        projects=projects,
        links=links,
    )


def _read_aim(check: _Checker, raw: object, item: str) -> PackAim:
    """Read one strategic aim."""
    data = check.mapping(raw, item, required=("id", "title", "description"))
    aim_id = check.slug(data, "id", item)
    check.claim_id(aim_id, item)
    return PackAim(
        id=aim_id,
        title=check.text(data, "title", item),
        description=check.text(data, "description", item),
    )


def _read_phase(check: _Checker, raw: object, item: str, position: int) -> PackPhase:
    """Read one phase, checking phases are numbered 1..n in order."""
    data = check.mapping(raw, item, required=("id", "number", "title", "description"))
    phase_id = check.slug(data, "id", item)
    check.claim_id(phase_id, item)
    number = check.positive_int(data, "number", item)
    if number != position:
        check.fail(
            item,
            f"phases must be numbered 1, 2, 3... in order; found {number} where "
            f"{position} was expected",
        )
    return PackPhase(
        id=phase_id,
        number=number,
        title=check.text(data, "title", item),
        description=check.text(data, "description", item),
    )


def _read_project(
    check: _Checker,
    raw: object,
    item: str,
    *,
    aim_ids: Collection[str],
    phase_ids: Collection[str],
) -> PackProject:
    """Read one improvement project and its milestones."""
    data = check.mapping(
        raw,
        item,
        required=("id", "name", "focus", "description", "phase", "aims", "lead_role"),
        optional=("milestones",),
    )
    project_id = check.slug(data, "id", item)
    check.claim_id(project_id, item)

    phase = data.get("phase")
    if phase not in phase_ids:
        check.fail(
            item,
            f"phase: {_describe(phase)} is not a phase of this strategy; "
            f"expected one of: {', '.join(phase_ids)}",
        )

    milestones = tuple(
        _read_milestone(
            check, raw_milestone, _item_name("milestone", raw_milestone, "id", position)
        )
        for position, raw_milestone in enumerate(check.sequence(data, "milestones", item), 1)
    )
    return PackProject(
        id=project_id,
        name=check.text(data, "name", item),
        focus=check.text(data, "focus", item),
        description=check.text(data, "description", item),
        phase=str(phase),
        aims=check.id_list(data, "aims", item, known=aim_ids, what="aim", min_items=1),
        lead_role=check.text(data, "lead_role", item),
        milestones=milestones,
    )


def _read_milestone(check: _Checker, raw: object, item: str) -> PackMilestone:
    """Read one route-map milestone."""
    data = check.mapping(raw, item, required=("id", "title", "status"), optional=("due",))
    milestone_id = check.slug(data, "id", item)
    check.claim_id(milestone_id, item)
    return PackMilestone(
        id=milestone_id,
        title=check.text(data, "title", item),
        due=check.optional_date(data, "due", item),
        status=check.choice(data, "status", item, MILESTONE_STATUSES),
    )


def _read_links(
    check: _Checker,
    raw_links: Sequence[object],
    *,
    framework: FrameworkPack,
    aim_ids: Collection[str],
    project_ids: Collection[str],
) -> tuple[PackLink, ...]:
    """Read the action links: one per action at most, each with resolvable ids."""
    action_ids = {action.id for action in framework.actions}
    links: dict[str, PackLink] = {}
    for position, raw in enumerate(raw_links, 1):
        item = _item_name("link", raw, "action", position)
        data = check.mapping(raw, item, required=("action", "aims"), optional=("projects",))
        action = data.get("action")
        if action not in action_ids:
            check.fail(
                item,
                f"action: {_describe(action)} is not an action of framework {framework.id}",
            )
        if action in links:
            check.fail(item, f"action {action!r} is linked twice; expected one link per action")
        links[action] = PackLink(
            action=action,
            aims=check.id_list(data, "aims", item, known=aim_ids, what="aim", min_items=1),
            projects=check.id_list(data, "projects", item, known=project_ids, what="project"),
        )
    return tuple(links.values())


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

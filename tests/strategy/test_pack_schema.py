"""The shipped strategy packs validate, and every validation rule refuses a broken copy.

Pure Python: run with ``-p no:django``. Each broken copy is the shipped pack with one change,
written under ``tmp_path`` with the shipped file name so messages can be checked for it.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from vawg.strategy.pack_schema import (
    MILESTONE_STATUSES,
    RAGS,
    STATUSES,
    FrameworkPack,
    PackError,
    ResponsesPack,
    StrategyPack,
    read_framework_pack,
    read_responses_pack,
    read_strategy_pack,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "vawg"
FRAMEWORK_PATH = SRC / "strategy" / "packs" / "npcc-vawg-2021.yaml"
STRATEGY_PATH = SRC / "strategy" / "packs" / "cambridgeshire-strategy.yaml"
RESPONSES_PATH = SRC / "demo" / "responses.yaml"

Mutation = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def framework() -> FrameworkPack:
    return read_framework_pack(FRAMEWORK_PATH)


@pytest.fixture(scope="module")
def strategy(framework: FrameworkPack) -> StrategyPack:
    return read_strategy_pack(STRATEGY_PATH, framework)


@pytest.fixture(scope="module")
def responses(framework: FrameworkPack, strategy: StrategyPack) -> ResponsesPack:
    return read_responses_pack(RESPONSES_PATH, framework, strategy)


def _raw(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(tmp_path: Path, source: Path, data: dict[str, Any]) -> Path:
    target = tmp_path / source.name
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return target


def _broken(tmp_path: Path, source: Path, mutate: Mutation) -> Path:
    data = copy.deepcopy(_raw(source))
    mutate(data)
    return _write(tmp_path, source, data)


def _assert_names(error: PackError, source: Path, item: str, *words: str) -> None:
    text = str(error)
    assert text.startswith(f"{source.name}: {item}: "), text
    assert error.path.name == source.name
    assert error.item == item
    for word in words:
        assert word in error.message, text


# --- The shipped packs -------------------------------------------------------------------------


def test_framework_has_three_pillars_of_14_12_and_8_actions(framework: FrameworkPack) -> None:
    assert framework.id == "npcc-vawg-2021"
    assert framework.published == dt.date(2021, 12, 15)
    assert [pillar.title for pillar in framework.pillars] == [
        "Build trust and confidence",
        "Relentless perpetrator pursuit",
        "Safer spaces",
    ]
    assert [len(pillar.actions) for pillar in framework.pillars] == [14, 12, 8]
    assert len(framework.actions) == 34
    assert framework.actions[0].id == "nfd21-1.1"
    assert framework.actions[-1].number == "3.8"
    assert {action.pillar_id for action in framework.pillars[1].actions} == {"nfd21-p2"}


def test_framework_titles_are_short_and_duplicated_headings_distinguishable(
    framework: FrameworkPack,
) -> None:
    by_number = {action.number: action for action in framework.actions}
    assert all(len(action.title) <= 80 for action in framework.actions)
    assert by_number["1.2"].id != by_number["1.5"].id
    assert by_number["1.2"].title != by_number["1.5"].title
    assert all(code in by_number["2.12"].description for code in ("14", "15", "16"))


def test_strategy_has_six_aims_three_phases_four_projects(strategy: StrategyPack) -> None:
    assert strategy.framework == "npcc-vawg-2021"
    assert strategy.approved == dt.date(2021, 11, 30)
    assert [aim.id for aim in strategy.aims] == [
        "aim-culture",
        "aim-perpetrator",
        "aim-partnership",
        "aim-victim-support",
        "aim-investigation",
        "aim-transparency",
    ]
    assert [phase.title for phase in strategy.phases] == [
        "Foundation",
        "Development and improvement",
        "Tracking",
    ]
    assert [project.id for project in strategy.projects] == ["kaizen", "artemis", "boyd", "eleos"]
    for project in strategy.projects:
        assert 3 <= len(project.milestones) <= 5, project.id
        assert all(m.status in MILESTONE_STATUSES for m in project.milestones)


def test_strategy_links_every_action_as_the_paper_does(
    framework: FrameworkPack, strategy: StrategyPack
) -> None:
    links = {link.action: link for link in strategy.links}
    assert set(links) == {action.id for action in framework.actions}
    assert all(link.aims for link in links.values())
    assert set(links["nfd21-3.1"].projects) == {"kaizen", "artemis", "boyd", "eleos"}
    assert all("boyd" in links[f"nfd21-2.{n}"].projects for n in (1, 2, 3))
    assert "eleos" in links["nfd21-1.10"].projects


def test_kaizen_route_map_keeps_the_dash_pilot_date(strategy: StrategyPack) -> None:
    kaizen = next(project for project in strategy.projects if project.id == "kaizen")
    dates = {milestone.due for milestone in kaizen.milestones}
    assert dt.date(2022, 5, 30) in dates
    assert kaizen.lead_role == "Detective Chief Inspector, Domestic Abuse"


def test_responses_cover_every_action_once_with_one_update(
    framework: FrameworkPack, responses: ResponsesPack
) -> None:
    assert len(responses.responses) == 34
    assert [r.action for r in responses.responses] == [a.id for a in framework.actions]
    for response in responses.responses:
        assert len(response.updates) == 1, response.action
        assert response.status in STATUSES
        assert response.rag in RAGS


def test_action_with_no_narrative_in_the_paper_is_not_shown_as_done(
    responses: ResponsesPack,
) -> None:
    by_action = {r.action: r for r in responses.responses}
    gap = by_action["nfd21-1.13"]
    assert gap.status in ("not_started", "in_progress")
    assert gap.rag in ("red", "amber")
    assert "no separate progress" in gap.updates[0].text


@pytest.mark.parametrize(
    ("action", "figure"),
    [
        ("nfd21-1.10", "£450k"),
        ("nfd21-1.11", "160"),
        ("nfd21-1.11", "90%"),
        ("nfd21-2.1", "20%"),
        ("nfd21-2.2", "30 May 2022"),
        ("nfd21-2.3", "14"),
        ("nfd21-2.3", "October 2021"),
        ("nfd21-2.4", "700%"),
        ("nfd21-2.7", "300"),
        ("nfd21-2.11", "10th"),
        ("nfd21-2.11", "22nd"),
        ("nfd21-2.11", "15%"),
        ("nfd21-2.11", "2nd highest in the region"),
        ("nfd21-3.3", "£400k"),
    ],
)
def test_paper_figures_appear_in_the_right_update(
    responses: ResponsesPack, action: str, figure: str
) -> None:
    by_action = {r.action: r for r in responses.responses}
    assert figure in by_action[action].updates[0].text


# --- Rules: framework --------------------------------------------------------------------------


def _pillar(data: dict[str, Any], number: int) -> dict[str, Any]:
    return data["pillars"][number - 1]


def _action(data: dict[str, Any], number: str) -> dict[str, Any]:
    pillar = _pillar(data, int(number.split(".")[0]))
    return next(a for a in pillar["actions"] if a["number"] == number)


def _set(data: dict[str, Any], key: str, value: object) -> None:
    data[key] = value


FRAMEWORK_CASES: list[tuple[str, Mutation, str, tuple[str, ...]]] = [
    ("missing key", lambda d: d.pop("title"), "pack", ("missing required key 'title'",)),
    ("unknown top key", lambda d: _set(d, "titel", "x"), "pack", ("unknown key 'titel'",)),
    (
        "unknown action key",
        lambda d: _set(_action(d, "2.3"), "descripton", "x"),
        "action nfd21-2.3",
        ("unknown key 'descripton'",),
    ),
    ("wrong kind", lambda d: _set(d, "kind", "strategy"), "pack", ("kind", "'framework'")),
    ("version text", lambda d: _set(d, "version", "one"), "pack", ("version", "whole number")),
    ("version bool", lambda d: _set(d, "version", True), "pack", ("version", "true/false")),
    (
        "empty title",
        lambda d: _set(_action(d, "1.4"), "title", "  "),
        "action nfd21-1.4",
        ("title", "non-empty text"),
    ),
    (
        "title too long",
        lambda d: _set(_action(d, "1.4"), "title", "x" * 81),
        "action nfd21-1.4",
        ("at most 80",),
    ),
    (
        "not a real date",
        lambda d: _set(d, "published", "2021-02-30"),
        "pack",
        ("published", "real date", "2021-02-30"),
    ),
    (
        "date with time",
        lambda d: _set(d, "published", "2021-12-15 10:00"),
        "pack",
        ("published", "YYYY-MM-DD"),
    ),
    (
        "duplicate id",
        lambda d: _set(_action(d, "2.4"), "id", "nfd21-2.3"),
        "action nfd21-2.3",
        ("'nfd21-2.3' is already used by action nfd21-2.3",),
    ),
    (
        "id reused across kinds",
        lambda d: _set(_pillar(d, 3), "id", "nfd21-1.1"),
        "pillar nfd21-1.1",
        ("already used by action nfd21-1.1",),
    ),
    (
        "bad id",
        lambda d: _set(_action(d, "1.1"), "id", "NFD 1.1"),
        "action NFD 1.1",
        ("id", "lower-case"),
    ),
    (
        "number under the wrong pillar",
        lambda d: _set(_action(d, "2.3"), "number", "1.3"),
        "action nfd21-2.3",
        ("'1.3' does not belong to pillar 2",),
    ),
    (
        "gap in numbering",
        lambda d: _set(_action(d, "2.3"), "number", "2.13"),
        "pillar nfd21-p2",
        ("without gaps", "'2.13'", "'2.3'"),
    ),
    (
        "unquoted number",
        lambda d: _set(_action(d, "1.10"), "number", 1.1),
        "action nfd21-1.10",
        ("in quotes",),
    ),
    (
        "malformed number",
        lambda d: _set(_action(d, "3.2"), "number", "3-2"),
        "action nfd21-3.2",
        ("number", "'3-2'"),
    ),
    (
        "pillars out of order",
        lambda d: d["pillars"].insert(1, d["pillars"].pop(2)),
        "pillar nfd21-p3",
        ("found 3 where 2 was expected",),
    ),
    (
        "pillar not in expected_actions",
        lambda d: _set(_pillar(d, 3), "number", 4),
        "pillar nfd21-p3",
        ("pillar number 4 is not listed",),
    ),
    (
        "expected count not a number",
        lambda d: _set(d, "expected_actions", {1: 14, 2: "twelve", 3: 8}),
        "pack",
        ("expected_actions", "'twelve'"),
    ),
    (
        "expected names a missing pillar",
        lambda d: _set(d, "expected_actions", {1: 14, 2: 12, 3: 8, 4: 2}),
        "pack",
        ("pillar 4",),
    ),
    (
        "pillar is not a mapping",
        lambda d: d["pillars"].append("pillar four"),
        "pillar #4",
        ("expected a mapping", "'pillar four'"),
    ),
]


@pytest.mark.parametrize(
    ("mutate", "item", "words"),
    [case[1:] for case in FRAMEWORK_CASES],
    ids=[case[0] for case in FRAMEWORK_CASES],
)
def test_broken_framework_is_refused(
    tmp_path: Path, mutate: Mutation, item: str, words: tuple[str, ...]
) -> None:
    path = _broken(tmp_path, FRAMEWORK_PATH, mutate)
    with pytest.raises(PackError) as caught:
        read_framework_pack(path)
    _assert_names(caught.value, FRAMEWORK_PATH, item, *words)


def test_count_per_pillar_must_match_expected_actions(tmp_path: Path) -> None:
    def drop_last(data: dict[str, Any]) -> None:
        _pillar(data, 2)["actions"].pop()

    path = _broken(tmp_path, FRAMEWORK_PATH, drop_last)
    with pytest.raises(PackError) as caught:
        read_framework_pack(path)
    assert (
        str(caught.value) == "npcc-vawg-2021.yaml: pillar nfd21-p2: expected 12 actions, found 11"
    )


def test_pack_error_is_a_value_error() -> None:
    assert issubclass(PackError, ValueError)


def _write_text(tmp_path: Path, text: str) -> Path:
    path = tmp_path / FRAMEWORK_PATH.name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    text = FRAMEWORK_PATH.read_text(encoding="utf-8").replace(
        "title: Build trust and confidence", "title: [Build trust and confidence", 1
    )
    line = text.splitlines().index("    title: [Build trust and confidence") + 1
    with pytest.raises(PackError) as caught:
        read_framework_pack(_write_text(tmp_path, text))
    assert caught.value.item == "YAML syntax"
    assert str(caught.value).startswith("npcc-vawg-2021.yaml: YAML syntax: line ")
    assert f"line {line}" in caught.value.message or f"line {line + 1}" in caught.value.message


def test_repeated_key_is_refused_with_its_line(tmp_path: Path) -> None:
    text = FRAMEWORK_PATH.read_text(encoding="utf-8").replace(
        "version: 1\n", "version: 1\nversion: 2\n", 1
    )
    line = text.splitlines().index("version: 2") + 1
    with pytest.raises(PackError) as caught:
        read_framework_pack(_write_text(tmp_path, text))
    _assert_names(caught.value, FRAMEWORK_PATH, "YAML syntax", f"line {line}", "'version'", "twice")


def test_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackError) as caught:
        read_framework_pack(_write_text(tmp_path, "# nothing yet\n"))
    _assert_names(caught.value, FRAMEWORK_PATH, "pack", "expected a mapping", "nothing")


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackError) as caught:
        read_framework_pack(tmp_path / FRAMEWORK_PATH.name)
    _assert_names(caught.value, FRAMEWORK_PATH, "file", "not found")


# --- Rules: force strategy ---------------------------------------------------------------------


def _project(data: dict[str, Any], project_id: str) -> dict[str, Any]:
    return next(p for p in data["projects"] if p["id"] == project_id)


def _link(data: dict[str, Any], action: str) -> dict[str, Any]:
    return next(link for link in data["links"] if link["action"] == action)


STRATEGY_CASES: list[tuple[str, Mutation, str, tuple[str, ...]]] = [
    ("wrong kind", lambda d: _set(d, "kind", "framework"), "pack", ("'force-strategy'",)),
    (
        "other framework",
        lambda d: _set(d, "framework", "npcc-vawg-2024"),
        "pack",
        ("framework", "'npcc-vawg-2021'", "'npcc-vawg-2024'"),
    ),
    (
        "approved not a date",
        lambda d: _set(d, "approved", "November 2021"),
        "pack",
        ("approved", "real date"),
    ),
    (
        "unknown project key",
        lambda d: _set(_project(d, "boyd"), "lead", "x"),
        "project boyd",
        ("unknown key 'lead'",),
    ),
    (
        "missing milestone title",
        lambda d: _project(d, "eleos")["milestones"][0].pop("title"),
        "milestone eleos-m1",
        ("missing required key 'title'",),
    ),
    (
        "id shared by an aim and a milestone",
        lambda d: _set(_project(d, "kaizen")["milestones"][0], "id", "aim-culture"),
        "milestone aim-culture",
        ("already used by aim aim-culture",),
    ),
    (
        "project phase unknown",
        lambda d: _set(_project(d, "kaizen"), "phase", "phase-delivery"),
        "project kaizen",
        ("phase", "'phase-delivery'"),
    ),
    (
        "project aim unknown",
        lambda d: _set(_project(d, "artemis"), "aims", ["aim-culture", "aim-cultural"]),
        "project artemis",
        ("aims", "'aim-cultural'", "not a known aim"),
    ),
    (
        "project without aims",
        lambda d: _set(_project(d, "artemis"), "aims", []),
        "project artemis",
        ("aims", "at least 1"),
    ),
    (
        "milestone status",
        lambda d: _set(_project(d, "boyd")["milestones"][1], "status", "done"),
        "milestone boyd-m2",
        ("status", "'done'", "complete"),
    ),
    (
        "milestone date",
        lambda d: _set(_project(d, "boyd")["milestones"][1], "due", "2022-06-31"),
        "milestone boyd-m2",
        ("due", "real date"),
    ),
    (
        "phases out of order",
        lambda d: _set(d["phases"][2], "number", 4),
        "phase phase-tracking",
        ("found 4 where 3 was expected",),
    ),
    (
        "link to an unknown action",
        lambda d: _set(_link(d, "nfd21-3.8"), "action", "nfd21-3.9"),
        "link nfd21-3.9",
        ("not an action of framework npcc-vawg-2021",),
    ),
    (
        "link to an unknown aim",
        lambda d: _set(_link(d, "nfd21-1.1"), "aims", ["aim-transparancy"]),
        "link nfd21-1.1",
        ("'aim-transparancy'", "not a known aim"),
    ),
    (
        "link to an unknown project",
        lambda d: _set(_link(d, "nfd21-2.1"), "projects", ["boid"]),
        "link nfd21-2.1",
        ("'boid'", "not a known project"),
    ),
    (
        "link without aims",
        lambda d: _set(_link(d, "nfd21-2.1"), "aims", []),
        "link nfd21-2.1",
        ("aims", "at least 1"),
    ),
    (
        "action linked twice",
        lambda d: d["links"].append({"action": "nfd21-1.1", "aims": ["aim-culture"]}),
        "link nfd21-1.1",
        ("linked twice",),
    ),
    (
        "project listed twice in a link",
        lambda d: _set(_link(d, "nfd21-2.1"), "projects", ["boyd", "boyd"]),
        "link nfd21-2.1",
        ("'boyd' is listed twice",),
    ),
]


@pytest.mark.parametrize(
    ("mutate", "item", "words"),
    [case[1:] for case in STRATEGY_CASES],
    ids=[case[0] for case in STRATEGY_CASES],
)
def test_broken_strategy_is_refused(
    tmp_path: Path, framework: FrameworkPack, mutate: Mutation, item: str, words: tuple[str, ...]
) -> None:
    path = _broken(tmp_path, STRATEGY_PATH, mutate)
    with pytest.raises(PackError) as caught:
        read_strategy_pack(path, framework)
    _assert_names(caught.value, STRATEGY_PATH, item, *words)


# --- Rules: responses --------------------------------------------------------------------------


def _response(data: dict[str, Any], action: str) -> dict[str, Any]:
    return next(r for r in data["responses"] if r["action"] == action)


RESPONSES_CASES: list[tuple[str, Mutation, str, tuple[str, ...]]] = [
    ("wrong kind", lambda d: _set(d, "kind", "response"), "pack", ("'responses'",)),
    (
        "other framework",
        lambda d: _set(d, "framework", "npcc-vawg-2024"),
        "pack",
        ("framework", "'npcc-vawg-2024'"),
    ),
    (
        "other strategy",
        lambda d: _set(d, "strategy", "norfolk-vawg-strategy"),
        "pack",
        ("strategy", "'cambridgeshire-vawg-strategy'"),
    ),
    ("other force", lambda d: _set(d, "force", "norfolk"), "pack", ("force", "'cambridgeshire'")),
    (
        "unknown action",
        lambda d: _set(_response(d, "nfd21-3.8"), "action", "nfd21-3.9"),
        "response nfd21-3.9",
        ("not an action of framework npcc-vawg-2021",),
    ),
    (
        "two responses to one action",
        lambda d: d["responses"].append(copy.deepcopy(_response(d, "nfd21-2.4"))),
        "response nfd21-2.4",
        ("second response", "one per action"),
    ),
    (
        "status",
        lambda d: _set(_response(d, "nfd21-1.1"), "status", "done"),
        "response nfd21-1.1",
        ("status", "'done'", "embedded"),
    ),
    (
        "rag",
        lambda d: _set(_response(d, "nfd21-1.1"), "rag", "blue"),
        "response nfd21-1.1",
        ("rag", "'blue'", "amber"),
    ),
    (
        "due date",
        lambda d: _set(_response(d, "nfd21-1.1"), "due", "31/03/2022"),
        "response nfd21-1.1",
        ("due", "YYYY-MM-DD"),
    ),
    (
        "missing owner",
        lambda d: _response(d, "nfd21-1.1").pop("owner_role"),
        "response nfd21-1.1",
        ("missing required key 'owner_role'",),
    ),
    (
        "empty update text",
        lambda d: _set(_response(d, "nfd21-2.4")["updates"][0], "text", ""),
        "response nfd21-2.4 update #1",
        ("text", "non-empty"),
    ),
    (
        "update date",
        lambda d: _set(_response(d, "nfd21-2.4")["updates"][0], "date", "2022-04-31"),
        "response nfd21-2.4 update #1",
        ("date", "real date", "2022-04-31"),
    ),
    (
        "unknown update key",
        lambda d: _set(_response(d, "nfd21-2.4")["updates"][0], "auther_role", "x"),
        "response nfd21-2.4 update #1",
        ("unknown key 'auther_role'",),
    ),
    (
        "evidence without url",
        lambda d: _response(d, "nfd21-1.1")["evidence"][0].pop("url"),
        "response nfd21-1.1 evidence #1",
        ("missing required key 'url'",),
    ),
    (
        "evidence url without scheme",
        lambda d: _set(_response(d, "nfd21-1.1")["evidence"][0], "url", "charter.pdf"),
        "response nfd21-1.1 evidence #1",
        ("url", "scheme"),
    ),
    (
        "updates not a list",
        lambda d: _set(_response(d, "nfd21-1.1"), "updates", "see above"),
        "response nfd21-1.1",
        ("updates", "expected a list"),
    ),
]


@pytest.mark.parametrize(
    ("mutate", "item", "words"),
    [case[1:] for case in RESPONSES_CASES],
    ids=[case[0] for case in RESPONSES_CASES],
)
def test_broken_responses_are_refused(
    tmp_path: Path,
    framework: FrameworkPack,
    strategy: StrategyPack,
    mutate: Mutation,
    item: str,
    words: tuple[str, ...],
) -> None:
    path = _broken(tmp_path, RESPONSES_PATH, mutate)
    with pytest.raises(PackError) as caught:
        read_responses_pack(path, framework, strategy)
    _assert_names(caught.value, RESPONSES_PATH, item, *words)


def test_responses_may_leave_actions_unanswered(
    tmp_path: Path, framework: FrameworkPack, strategy: StrategyPack
) -> None:
    path = _broken(tmp_path, RESPONSES_PATH, lambda d: d["responses"].pop())
    pack = read_responses_pack(path, framework, strategy)
    assert len(pack.responses) == 33


def test_dates_survive_a_round_trip_through_yaml_dates(
    tmp_path: Path, framework: FrameworkPack, strategy: StrategyPack
) -> None:
    # safe_dump writes the dates back unquoted; they must read as the same dates.
    pack = read_responses_pack(
        _broken(tmp_path, RESPONSES_PATH, lambda d: None), framework, strategy
    )
    assert pack.responses[0].updates[0].date == dt.date(2022, 4, 26)


# --- Rules: control and text direction characters -----------------------------------------------


def _set_update_text(text: str) -> Mutation:
    return lambda d: _set(_response(d, "nfd21-2.4")["updates"][0], "text", text)


@pytest.mark.parametrize(
    ("mutate", "item", "message"),
    [
        (
            _set_update_text("Pasted\x07 from Word"),
            "response nfd21-2.4 update #1",
            "text: expected text without control or text direction characters, found a "
            "control character (U+0007) at character 7",
        ),
        (
            # Stripping the text would silently drop a trailing vertical tab: refused instead.
            _set_update_text("Line break from Word\x0b"),
            "response nfd21-2.4 update #1",
            "text: expected text without control or text direction characters, found a "
            "control character (U+000B) at character 21",
        ),
        (
            lambda d: _set(_response(d, "nfd21-1.1"), "owner_role", "Head of \u202ePVP"),
            "response nfd21-1.1",
            "owner_role: expected text without control or text direction characters, found a "
            "text direction control character (U+202E) at character 9",
        ),
        (
            lambda d: _set(_response(d, "nfd21-1.1")["evidence"][0], "title", "a\x1bb\x01c"),
            "response nfd21-1.1 evidence #1",
            "title: expected text without control or text direction characters, found 2 "
            "control characters, the first (U+001B) at character 2",
        ),
    ],
    ids=["bell in update", "trailing vertical tab", "override in owner role", "two in evidence"],
)
def test_control_characters_in_responses_are_refused_naming_file_and_item(
    tmp_path: Path,
    framework: FrameworkPack,
    strategy: StrategyPack,
    mutate: Mutation,
    item: str,
    message: str,
) -> None:
    path = _broken(tmp_path, RESPONSES_PATH, mutate)
    with pytest.raises(PackError) as caught:
        read_responses_pack(path, framework, strategy)
    assert str(caught.value) == f"responses.yaml: {item}: {message}"


def test_control_characters_in_the_framework_are_refused(tmp_path: Path) -> None:
    path = _broken(
        tmp_path,
        FRAMEWORK_PATH,
        lambda d: _set(d["pillars"][0]["actions"][0], "description", "Escape \x1b[31m red"),
    )
    with pytest.raises(PackError) as caught:
        read_framework_pack(path)
    assert caught.value.path.name == "npcc-vawg-2021.yaml"
    assert caught.value.message == (
        "description: expected text without control or text direction characters, found a "
        "control character (U+001B) at character 8"
    )


def test_tabs_new_lines_emoji_quotes_and_other_scripts_load_unchanged(
    tmp_path: Path, framework: FrameworkPack, strategy: StrategyPack
) -> None:
    text = (
        "Tab\there, new line\nnext, “smart quotes” – emoji \U0001f469\u200d\u2696\ufe0f, اردو, 中文"
    )
    pack = read_responses_pack(
        _broken(tmp_path, RESPONSES_PATH, _set_update_text(text)), framework, strategy
    )
    response = next(r for r in pack.responses if r.action == "nfd21-2.4")
    assert response.updates[0].text == text

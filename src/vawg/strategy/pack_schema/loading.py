"""Reading one pack file: YAML without implicit dates or repeated keys, and the error type."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from vawg.errors import VawgError

__all__ = [
    "PackError",
]


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

"""Characters that narrative text may not hold, found and described for the person who typed it.

Text pasted from Word can carry control characters (a vertical tab for a line break, a bell, an
escape) and bidirectional controls. Stored, they show as boxes on pages and in PDFs, vanish
from Word papers, become ``_xHHHH_`` escapes in Excel, and a right-to-left override reverses
the text after it. The product rule is that such characters survive or are reported, never
silently cut: where text is typed or loaded it is refused with the character and its place, so
the writer can remove it. Text already stored is left as it is.

Refused: C0 and C1 control characters (and DEL) other than tab, line feed and carriage return;
the bidirectional embeddings and overrides U+202A to U+202E and the isolates U+2066 to U+2069.
Everything else is allowed, including emoji, smart quotes and every script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Cc is exactly U+0000-U+001F, U+007F and U+0080-U+009F.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _kind(character: str) -> str:
    if _BIDI.fullmatch(character):
        return "text direction control character"
    return "control character"


@dataclass(frozen=True)
class ForbiddenCharacters:
    """The forbidden characters of one text: the first one found, and how many in all."""

    character: str
    position: int  # of the first, counted from 1 as the writer sees the text (see below)
    count: int
    kinds: frozenset[str]

    @property
    def code_point(self) -> str:
        return f"U+{ord(self.character):04X}"

    @property
    def kind(self) -> str:
        return _kind(self.character)

    def message(self, label: str) -> str:
        """A GOV.UK-style error for the field ``label`` (its name as the sentence's subject).

        >>> find_forbidden("Pasted text\\x07").message("Update text")
        'Update text contains a control character (U+0007) at character 12. Remove it and try again.'
        >>> find_forbidden("a\\x01b\\x1bc").message("Your role")
        'Your role contains 2 control characters, the first (U+0001) at character 2. Remove them and try again.'
        >>> find_forbidden("a\\u202eb\\x1bc").message("Your role")
        'Your role contains 2 control or text direction characters, the first (U+202E) at character 2. Remove them and try again.'
        """  # noqa: E501 - a doctest's expected output cannot be wrapped
        them = "it" if self.count == 1 else "them"
        return f"{label} contains {self.describe()}. Remove {them} and try again."

    def describe(self) -> str:
        """What was found and where, as a phrase.

        >>> find_forbidden("ab\\u202e").describe()
        'a text direction control character (U+202E) at character 3'
        """
        if self.count == 1:
            return f"a {self.kind} ({self.code_point}) at character {self.position}"
        what = (
            f"{next(iter(self.kinds))}s"
            if len(self.kinds) == 1
            else "control or text direction characters"
        )
        return f"{self.count} {what}, the first ({self.code_point}) at character {self.position}"


def find_forbidden(text: str) -> ForbiddenCharacters | None:
    """The control and direction characters of ``text``, or None if it holds none.

    The position counts characters as the writer sees them: a line break sent as CR LF (as
    browsers send a text area's) counts once.

    >>> find_forbidden("Tab\\tand\\r\\nnew lines, “quotes”, emoji \\U0001f600, اردو") is None
    True
    >>> found = find_forbidden("line\\r\\nnext\\x0bend")
    >>> found.code_point, found.position, found.count
    ('U+000B', 10, 1)
    >>> find_forbidden("\\u202eevil").kind
    'text direction control character'
    """
    matches = list(_FORBIDDEN.finditer(text))
    if not matches:
        return None
    before = text[: matches[0].start()]
    position = len(before) - before.count("\r\n") + 1
    found = [m.group(0) for m in matches]
    return ForbiddenCharacters(found[0], position, len(found), frozenset(map(_kind, found)))

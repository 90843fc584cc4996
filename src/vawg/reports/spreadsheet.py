"""Safe spreadsheet cells: text that a spreadsheet would take for a formula is kept as text.

A narrative beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can run as a
formula when the file is opened (CSV/formula injection); every export writes text through
``safe_text``.
"""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so XLSX) cannot hold; pasted from Word they would corrupt the file.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_text(value: str) -> str:
    """``value`` as a spreadsheet will show it, never run it.

    >>> safe_text("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_text("-12% on last year")
    "'-12% on last year"
    >>> safe_text("Plain text")
    'Plain text'
    """
    cleaned = _ILLEGAL.sub("\N{REPLACEMENT CHARACTER}", value)
    return "'" + cleaned if cleaned.startswith(_FORMULA_START) else cleaned


def illegal_characters(value: str) -> int:
    """How many characters of ``value`` a spreadsheet cannot hold (they are replaced).

    >>> illegal_characters("a\\x0bb\\x01")
    2
    """
    return len(_ILLEGAL.findall(value))

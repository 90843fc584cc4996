"""Make a drawn SVG safe under a Content-Security-Policy that forbids inline styles.

matplotlib writes ``style="fill: none; stroke: #505a5f"`` attributes and a ``<style>``
element; a strict policy (``style-src 'self'``) makes browsers ignore both inside a page.
Every property it uses is also an SVG presentation attribute, which no policy blocks.

>>> without_inline_styles('<svg><style>*{stroke-linecap: butt}</style>'
...                       '<path style="fill: none; stroke: #000"/></svg>')
'<svg stroke-linecap="butt"><path fill="none" stroke="#000"/></svg>'
"""

from __future__ import annotations

import html
import re

_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
_UNIVERSAL_RULE = re.compile(r"\*\s*\{([^}]*)\}")
_SVG_OPEN = re.compile(r"<svg\b")

#: CSS properties that SVG also accepts as presentation attributes (the ones charts use).
PRESENTATION = frozenset(
    {
        "fill",
        "fill-opacity",
        "stroke",
        "stroke-width",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-opacity",
        "stroke-miterlimit",
        "opacity",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
        "clip-path",
        "dominant-baseline",
    }
)


def _attributes(declarations: str) -> str:
    parts = []
    for declaration in declarations.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name in PRESENTATION and value:
            parts.append(f' {name}="{html.escape(html.unescape(value), quote=True)}"')
    return "".join(parts)


def without_inline_styles(svg: str) -> str:
    """``svg`` with style attributes as presentation attributes and ``<style>`` removed.

    A ``* { ... }`` rule becomes attributes of the root ``<svg>`` (inherited by every
    element that sets nothing itself); other rules are dropped.
    """
    root = "".join(
        _attributes(rule)
        for block in _STYLE_ELEMENT.findall(svg)
        for rule in _UNIVERSAL_RULE.findall(block)
    )
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _STYLE_ATTR.sub(lambda m: _attributes(m.group(1)), svg)
    return _SVG_OPEN.sub("<svg" + root, svg, count=1) if root else svg

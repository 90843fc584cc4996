"""Every cell of an XLSX file as its XML says, read from the package itself.

openpyxl wrote the file, so reading it back through openpyxl could hide a mistake both ways;
this reads the sheet XML and the style table directly, as Excel does.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class XmlCell:
    sheet: str
    ref: str
    type: str | None  # the c element's t attribute: "s", "inlineStr", "n", None ...
    text: str | None  # a string cell's text (shared or inline), else None
    has_formula: bool  # whether the c element holds an f element
    quote_prefix: bool  # whether the cell's xf carries quotePrefix="1"


def xml_cells(data: bytes) -> list[XmlCell]:
    """Every cell of every sheet of the workbook ``data``."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        styles = ElementTree.fromstring(package.read("xl/styles.xml"))
        xfs = styles.find(f"{MAIN}cellXfs")
        quote = [xf.get("quotePrefix") in ("1", "true") for xf in xfs] if xfs is not None else []
        shared: list[str] = []
        if "xl/sharedStrings.xml" in package.namelist():
            table = ElementTree.fromstring(package.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{MAIN}t")) for si in table]
        rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
        targets = {
            rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{PACKAGE_REL}Relationship")
        }
        workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
        cells: list[XmlCell] = []
        for sheet in workbook.iter(f"{MAIN}sheet"):
            target = targets[sheet.get(f"{REL}id")]
            part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            root = ElementTree.fromstring(package.read(part))
            for c in root.iter(f"{MAIN}c"):
                kind = c.get("t")
                text = None
                if kind == "inlineStr":
                    text = "".join(t.text or "" for t in c.iter(f"{MAIN}t"))
                elif kind == "s":
                    text = shared[int(c.findtext(f"{MAIN}v"))]
                style = int(c.get("s", "0"))
                cells.append(
                    XmlCell(
                        sheet=sheet.get("name"),
                        ref=c.get("r"),
                        type=kind,
                        text=text,
                        has_formula=c.find(f"{MAIN}f") is not None,
                        quote_prefix=quote[style] if style < len(quote) else False,
                    )
                )
    return cells

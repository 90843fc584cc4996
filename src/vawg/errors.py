"""The project's one base exception and the shapes of error a user can act on."""

from __future__ import annotations

from pathlib import Path


class VawgError(Exception):
    """Base for every error the tracker raises on purpose.

    Its message tells the reader what to fix.
    """


class InputFileError(VawgError):
    """A file that cannot be accepted, with the place of the first problem.

    >>> str(InputFileError(Path("x-street.csv"), "Month", "'2024/01' is not YYYY-MM", row=7))
    "x-street.csv, row 7, column Month: '2024/01' is not YYYY-MM"
    """

    def __init__(
        self, path: Path | str, column: str | None, problem: str, *, row: int | None = None
    ) -> None:
        self.path = Path(path)
        self.row = row
        self.column = column
        self.problem = problem
        place = [self.path.name]
        if row is not None:
            place.append(f"row {row}")
        if column:
            place.append(f"column {column}")
        super().__init__(f"{', '.join(place)}: {problem}")

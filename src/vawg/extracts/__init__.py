"""Force system extracts: import templates, their validation and Parquet writing (no Django).

``templates`` defines each template as data, ``validate`` checks a CSV or XLSX file against
one and writes Parquet, ``make_template_files`` writes the downloadable empty templates and
their documentation pages.
"""

from vawg.extracts.templates import TEMPLATES, Column, Template, get_template
from vawg.extracts.validate import ExtractFileError, detect_template, to_parquet, validate_file

__all__ = [
    "TEMPLATES",
    "Column",
    "ExtractFileError",
    "Template",
    "detect_template",
    "get_template",
    "to_parquet",
    "validate_file",
]

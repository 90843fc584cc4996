"""Row-level analytics: data.police.uk formats, validation and the Parquet/DuckDB store.

Pure Python and DuckDB, no Django: the imports app and the metrics app call in with plain
paths and values, so the same code runs from the CLI, a background task or a notebook.
"""

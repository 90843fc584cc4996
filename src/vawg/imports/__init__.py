"""Imports: bring source files (data.police.uk CSVs) into the tracker, all or nothing.

The row-level records go to the Parquet store (see ``vawg.analytics.store``); this app keeps
the database record of every import run and of which Parquet file is live for each dataset,
force and month.
"""

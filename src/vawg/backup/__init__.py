"""Backup and restore of a whole installation: database, Parquet store and uploads."""

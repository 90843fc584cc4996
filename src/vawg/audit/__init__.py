"""The audit trail: who created, changed, deleted, viewed or exported what, and when.

Append-only. Changes to strategy data, metric definitions and imports are recorded by signal
handlers (:mod:`vawg.audit.recording`); views and exports of restricted records are recorded
by the views that show them, through :func:`vawg.audit.recording.log_restricted_access`.
"""

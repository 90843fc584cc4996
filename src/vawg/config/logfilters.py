"""Logging filters named in ``settings.LOGGING`` (no model imports: loaded before the apps)."""

from __future__ import annotations

import logging


class ForbiddenOneLine(logging.Filter):
    """Turn Django's "Forbidden (Permission denied)" record into one line without a traceback.

    A 403 is the access rules working, not a fault: a traceback per refusal fills the log and
    hides real errors. The line keeps what an investigation needs, the path (without its query
    string) and the user's id, and no personal data (no username, no address).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403:
            return True
        request = getattr(record, "request", None)
        path = getattr(request, "path", "?")
        user = getattr(request, "user", None)
        who = user.pk if getattr(user, "is_authenticated", False) else "anonymous"
        record.msg = "forbidden: %s (user id %s)"
        record.args = (path, who)
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True

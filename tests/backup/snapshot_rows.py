"""Every backed-up row of a database as plain, comparable values.

Run as a script (with DJANGO_SETTINGS_MODULE, VAWG_DATA_DIR and DATABASE_URL of the target) it
prints the snapshot of that installation as JSON; the tests import :func:`snapshot` to take
the same snapshot of the source database and compare the two field by field.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Rows of every backed-up table, sorted by primary key.

    Content types and permissions are made by each installation with its own ids, so
    references to them are compared by natural key; many-to-many link rows without their ids.
    """
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from vawg.backup.archive import backed_up_models

    natural = {
        ContentType: {c.pk: list(c.natural_key()) for c in ContentType.objects.all()},
        Permission: {p.pk: list(p.natural_key()) for p in Permission.objects.all()},
    }
    rows: dict[str, list[dict[str, Any]]] = {}
    for model in backed_up_models():
        fields = model._meta.concrete_fields
        table = []
        for obj in model._base_manager.order_by("pk"):
            row = {}
            for f in fields:
                value = getattr(obj, f.attname)
                if f.is_relation and f.related_model in natural:
                    value = natural[f.related_model].get(value)
                row[f.attname] = _plain(value)
            table.append(row)
        if model._meta.auto_created:
            # Many-to-many links travel inline with their owner, so a link row gets a new id:
            # the link itself (the pair of ids) is what must survive.
            for row in table:
                del row[model._meta.pk.attname]
            table.sort(key=lambda row: json.dumps(row, sort_keys=True))
        rows[model._meta.label] = table
    return rows


if __name__ == "__main__":
    from vawg.cli import setup_django

    setup_django()
    json.dump(snapshot(), sys.stdout, sort_keys=True)

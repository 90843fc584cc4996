"""Which models the audit trail records, and how each names a record without personal data.

Each entry says how to describe a record (its code or number, never free text), which fields
hold free text that may name people (recorded only as "changed"), and which fields are noise
(timestamps the database sets itself). A model not listed here is not recorded by the signal
handlers; work on it is recorded by the code that does it, through ``record_event`` or
``record_bulk`` (for example the bulk recompute of metric observations).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

Describe = Callable[[models.Model], str]


@dataclass(frozen=True)
class Tracked:
    """How one model is recorded."""

    describe: Describe
    #: Free-text fields that may hold personal data: the trail says only that they changed.
    sensitive: frozenset[str] = field(default_factory=frozenset)
    #: Fields left out of the trail: timestamps the system sets, counters of its own.
    exclude: frozenset[str] = field(default_factory=frozenset)


def _attr(name: str) -> Describe:
    return lambda obj: str(getattr(obj, name))


def _related(fk: str, attr: str) -> Callable[[models.Model], str]:
    """The related record's code, falling back to its id if it is gone (cascade deletes)."""

    def describe(obj: models.Model) -> str:
        try:
            return str(getattr(getattr(obj, fk), attr))
        except ObjectDoesNotExist:
            return f"#{getattr(obj, fk + '_id')}"

    return describe


def _response(obj: models.Model) -> str:
    return f"{_related('force', 'slug')(obj)} {_related('action', 'code')(obj)}"


#: "app_label.ModelName" -> how it is recorded. Models of apps not installed are skipped.
REGISTRY: dict[str, Tracked] = {
    # Strategy: every change to strategy data is recorded (design: quality bars).
    "strategy.Framework": Tracked(_attr("code"), sensitive=frozenset({"source_note"})),
    "strategy.Pillar": Tracked(_attr("code")),
    "strategy.Action": Tracked(_attr("code")),
    "strategy.Force": Tracked(_attr("slug")),
    "strategy.Strategy": Tracked(_attr("code")),
    "strategy.Aim": Tracked(_attr("code")),
    "strategy.Phase": Tracked(_attr("code")),
    "strategy.ImprovementProject": Tracked(_attr("code")),
    "strategy.Milestone": Tracked(lambda o: f"{o.project_id}/{o.code}"),
    "strategy.Response": Tracked(_response, exclude=frozenset({"updated_at"})),
    "strategy.ResponseChange": Tracked(
        lambda o: f"response {o.response_id} {o.field}", exclude=frozenset({"changed_at"})
    ),
    # A title or a file's own name may name a person ("Statement of J Smith.pdf"): the
    # Evidence row keeps them, the trail only that they were set.
    "strategy.Evidence": Tracked(
        lambda o: f"evidence {o.pk} on response {o.response_id}",
        sensitive=frozenset({"title", "original_name"}),
        exclude=frozenset({"added_at"}),
    ),
    # Narrative updates may name people; the Update row itself keeps the text.
    "strategy.Update": Tracked(
        lambda o: f"update {o.pk} on response {o.response_id}",
        sensitive=frozenset({"text"}),
        exclude=frozenset({"created_at"}),
    ),
    # Metric definitions change the ratings boards rely on; observations are recomputed in
    # bulk and recorded as one summary event per recompute (record_bulk).
    "metrics.Metric": Tracked(_attr("code")),
    "imports.ImportRun": Tracked(lambda o: f"import run {o.pk}"),
    "imports.ImportedFile": Tracked(
        lambda o: f"{o.dataset} {o.force} {o.month}", exclude=frozenset({"created_at"})
    ),
    # Import jobs: who uploaded what and how it ended. The message and the refusals can
    # quote cells of the uploaded files; files_done is the progress counter.
    "imports.ImportJob": Tracked(
        lambda o: f"import job {o.pk}",
        sensitive=frozenset({"message", "errors"}),
        exclude=frozenset({"files_done"}),
    ),
    # What went to the national Taskforce and what boards were shown: the submission's
    # content and the published rows are large snapshots of narrative and figures, kept in
    # their own rows (a return's sha256 proves its content); the trail keeps who and when.
    "reports.ReturnSubmission": Tracked(
        lambda o: f"{_related('force', 'slug')(o)} {o.quarter} submission {o.number}",
        sensitive=frozenset({"reason"}),
        exclude=frozenset({"content"}),
    ),
    "metrics.ReckonerPublication": Tracked(
        lambda o: f"{_related('force', 'slug')(o)} reckoner {o.month}",
        exclude=frozenset({"rows"}),
    ),
    # Governance: which boards scrutinise what, who answers for an owner role, and who
    # acknowledged which update (the comment is free text).
    "governance.Board": Tracked(lambda o: f"{_related('force', 'slug')(o)} {o.code}"),
    "governance.RoleAssignment": Tracked(lambda o: f"user {o.user_id} as {o.owner_role}"),
    "governance.UpdateAcknowledgement": Tracked(
        lambda o: f"acknowledgement of update {o.update_id} by user {o.reviewer_id}",
        sensitive=frozenset({"comment"}),
        exclude=frozenset({"acknowledged_at"}),
    ),
    # Accounts and their groups decide who sees restricted data: a security officer asks
    # who granted what. Sign-ins are recorded separately, so last_login is noise here.
    "auth.User": Tracked(
        _attr("username"),
        sensitive=frozenset({"password", "first_name", "last_name", "email"}),
        exclude=frozenset({"last_login"}),
    ),
    "auth.Group": Tracked(_attr("name")),
    "accounts.ProjectAssignment": Tracked(
        lambda o: f"user {o.user_id} leads project {o.project_id}",
        exclude=frozenset({"assigned_at"}),
    ),
    "accounts.UpdateApproval": Tracked(
        lambda o: f"approval of update {o.update_id}", exclude=frozenset({"approved_at"})
    ),
    # Second factors: that one was set up, replaced or removed matters; the secret never
    # enters the trail, and last_step moves on every sign-in.
    "accounts.TOTPDevice": Tracked(
        lambda o: f"authenticator app of user {o.user_id}",
        sensitive=frozenset({"secret"}),
        exclude=frozenset({"last_step"}),
    ),
    "accounts.RecoveryCode": Tracked(
        lambda o: f"recovery code of user {o.user_id}", sensitive=frozenset({"code_hash"})
    ),
}


def tracked(model: type[models.Model]) -> Tracked | None:
    """The registry entry of a model (or of the concrete model behind a proxy)."""
    meta = model._meta.concrete_model._meta if model._meta.proxy else model._meta
    return REGISTRY.get(f"{meta.app_label}.{meta.object_name}")


def describe(obj: models.Model) -> str:
    """A name for a record safe to keep in the trail: its code, or model and id."""
    entry = tracked(type(obj))
    if entry is not None:
        try:
            return entry.describe(obj)[:200]
        except (AttributeError, ObjectDoesNotExist):
            pass  # fall through to the id, which is always safe
    return f"{obj._meta.model_name} {obj.pk}"

"""Writing the audit trail: who is acting, the signal handlers, and the functions to call.

Who is acting is held in a context variable: :class:`~vawg.audit.middleware.AuditUserMiddleware`
sets it to the request (its user is resolved lazily, at the time of the event), and commands
wrap their work in :func:`acting_as`, e.g. ``with acting_as("system: vawg init"):``. Work with
no actor set is recorded as ``"system"``.

Saves made by ``loaddata`` (``raw=True``) are not recorded: a restore records one summary
event instead. ``QuerySet.update()`` and ``bulk_create()`` send no signals; code using them
records its own event with :func:`record_event` or :func:`record_bulk`.

Nothing here writes personal data to the application log: log lines carry ids and counts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import hashlib
import hmac
import ipaddress
import logging
import uuid
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest

from vawg.audit import registry
from vawg.audit.models import AuditAction, AuditEvent
from vawg.errors import VawgError

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

logger = logging.getLogger(__name__)

#: Longer text values are cut to this many characters, with a note of the full length.
MAX_TEXT = 200
#: What a sensitive field's value is replaced with.
CHANGED = "changed"

_OLD_VALUES = "_audit_old_values"
_M2M_CLEARED = "_audit_m2m_cleared"


@dataclass(frozen=True)
class Actor:
    """Who an event is attributed to."""

    user: AbstractBaseUser | None
    label: str
    ip: str | None = None


SYSTEM = Actor(None, "system")

_actor: ContextVar[Actor | HttpRequest | None] = ContextVar("vawg_audit_actor", default=None)
_suspended: ContextVar[bool] = ContextVar("vawg_audit_suspended", default=False)


def _user_actor(user: AbstractBaseUser | None, ip: str | None = None) -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(None, "anonymous", ip)
    return Actor(user, user.get_username()[:200], ip)


def request_ip(request: HttpRequest | None) -> str | None:
    """The client address as the server saw it.

    REMOTE_ADDR only: a forwarded-for header is whatever the client chose to send. Behind a
    trusted reverse proxy, the proxy (or a middleware that knows it) must set REMOTE_ADDR.
    """
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def actor_for(user: AbstractBaseUser | None) -> Actor:
    """The actor for work done on behalf of ``user``, at the current request's address.

    For domain functions that are told who acts (``user=``): a command or a test calling
    them outside a request is attributed to that user rather than to "system".
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return current_actor()
    return _user_actor(user, current_actor().ip)


def current_actor() -> Actor:
    """Who the current event is attributed to."""
    value = _actor.get()
    if value is None:
        return SYSTEM
    if isinstance(value, Actor):
        return value
    # A request: its user is resolved now, after authentication has run.
    return _user_actor(getattr(value, "user", None), request_ip(value))


@contextlib.contextmanager
def acting_as(who: str | AbstractBaseUser) -> Iterator[Actor]:
    """Attribute events inside the block to a command or a user.

    >>> with acting_as("system: vawg init") as actor:
    ...     actor.label
    'system: vawg init'
    """
    actor = Actor(None, who[:200]) if isinstance(who, str) else _user_actor(who)
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


@contextlib.contextmanager
def acting_for(user: AbstractBaseUser) -> Iterator[Actor]:
    """Attribute events inside the block to ``user``, at the current request's address.

    For what a person does before their sign-in completes (setting up a second factor, using
    a recovery code): the request's user is still anonymous then, but the password has shown
    who it is, and the trail must name them.
    """
    actor = actor_for(user)
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


@contextlib.contextmanager
def acting_for_request(request: HttpRequest) -> Iterator[None]:
    """Attribute events inside the block to the request's user (used by the middleware)."""
    token = _actor.set(request)
    try:
        yield
    finally:
        _actor.reset(token)


@contextlib.contextmanager
def recording_suspended() -> Iterator[None]:
    """Record nothing per row inside the block.

    For a restore only, which loads the trail itself and records one event for the whole
    load; everything else must leave recording on.
    """
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


# --- values -------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    """A field value as JSON can hold it, long text cut short with a note."""
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            return f"{value[:MAX_TEXT]}… [truncated: {len(value)} characters]"
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return f"[{len(value)} bytes]"
    if isinstance(value, models.Model):
        return value.pk
    return value


def _fields(model: type[models.Model], entry: registry.Tracked) -> list[models.Field]:
    """The concrete fields recorded for a model: not the pk, not excluded, not auto times."""
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and f.name not in entry.exclude
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def _values(instance: models.Model, entry: registry.Tracked) -> dict[str, Any]:
    """The recorded field values of an instance; sensitive ones only as set or empty."""
    values: dict[str, Any] = {}
    for f in _fields(type(instance), entry):
        value = getattr(instance, f.attname)
        if f.name in entry.sensitive:
            values[f.name] = "set" if value not in (None, "") else ""
        else:
            values[f.name] = _jsonable(value)
    return values


# --- writing events -------------------------------------------------------------------------


def _model_labels(target: models.Model | type[models.Model]) -> tuple[str, str]:
    meta = target._meta
    return meta.app_label, meta.model_name


def record_event(
    action: str,
    *,
    target: models.Model | type[models.Model] | str | None = None,
    object_repr: str = "",
    changes: Mapping[str, Any] | None = None,
    purpose: str = "",
    actor: Actor | None = None,
) -> AuditEvent | None:
    """Write one event and return it (``None`` while recording is suspended for a restore).

    ``target`` is a record (its app, model, pk and code are taken from it), a model class
    (for an event about many rows, e.g. a recompute), or a plain label for something that is
    not a row. ``object_repr`` overrides the description; it must never hold personal data.

    The event is written in the caller's transaction: if that rolls back, so does the event,
    and if the event cannot be written the caller's work fails with it.
    """
    if action not in AuditAction.values:
        raise VawgError(f"Unknown audit action {action!r}; expected one of {AuditAction.values}")
    if _suspended.get():
        return None
    who = actor or current_actor()
    app_label = model = object_pk = ""
    if isinstance(target, models.Model):
        app_label, model = _model_labels(target)
        object_pk = "" if target.pk is None else str(target.pk)
        object_repr = object_repr or registry.describe(target)
    elif isinstance(target, type) and issubclass(target, models.Model):
        app_label, model = _model_labels(target)
    elif isinstance(target, str):
        object_repr = object_repr or target
    event = AuditEvent(
        actor=who.user,
        actor_label=who.label,
        action=action,
        app_label=app_label,
        model=model,
        object_pk=object_pk[:64],
        object_repr=object_repr[:200],
        changes=dict(changes or {}),
        purpose=purpose,
        ip=who.ip,
    )
    event.save()
    logger.debug("audit event %s: %s %s.%s %s", event.pk, action, app_label, model, object_pk)
    return event


def record_bulk(
    model: type[models.Model], count: int, action: str, note: str = ""
) -> AuditEvent | None:
    """Record one summary event for rows written without signals (``bulk_create``, etc.).

    ``note`` says what happened in words without personal data, e.g.
    ``"recomputed from import run 12"``.
    """
    meta = model._meta
    return record_event(
        action,
        target=model,
        object_repr=f"{count} {meta.verbose_name_plural}",
        changes={"count": count, "note": note},
    )


def log_restricted_access(
    *,
    user: AbstractBaseUser | None,
    action: str,
    obj_or_label: models.Model | str,
    purpose: str,
) -> AuditEvent:
    """Record that a user viewed or exported a restricted record, and why.

    The Data Protection Act 2018 (s.62) requires logs of consultation (``"view"``) and
    disclosure (``"export"``) of data processed for law-enforcement purposes that show the
    justification, the date and time and who did it. A blank purpose is refused: the view
    must ask for it before showing the record.
    """
    if action not in (AuditAction.VIEW, AuditAction.EXPORT):
        raise VawgError(f"Restricted access is 'view' or 'export', not {action!r}")
    if not purpose or not purpose.strip():
        raise VawgError("A purpose is required to view or export a restricted record")
    context = current_actor()
    who = _user_actor(user, context.ip)
    event = record_event(action, target=obj_or_label, purpose=purpose.strip(), actor=who)
    if event is None:  # only while a restore runs, which shows nothing to anyone
        raise VawgError("Restricted records cannot be accessed while a restore is running")
    return event


# --- signal handlers ------------------------------------------------------------------------


def _on_pre_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """Remember the stored values, so post_save can tell what changed."""
    if kwargs.get("raw") or _suspended.get() or instance._state.adding or instance.pk is None:
        return
    entry = registry.tracked(sender)
    if entry is None:
        return
    attnames = [f.attname for f in _fields(sender, entry)]
    # Read from the database rather than trusting what was loaded: a change made by someone
    # else since this instance was loaded is part of the truth of "old".
    old = sender._base_manager.filter(pk=instance.pk).values(*attnames).first()
    instance.__dict__[_OLD_VALUES] = old


def _on_post_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    old = instance.__dict__.pop(_OLD_VALUES, None)
    if kwargs.get("raw") or _suspended.get():
        return
    entry = registry.tracked(sender)
    if entry is None:
        return
    if created or old is None:
        record_event(AuditAction.CREATE, target=instance, changes=_values(instance, entry))
        return
    update_fields = kwargs.get("update_fields")
    changes: dict[str, Any] = {}
    for f in _fields(sender, entry):
        if update_fields is not None and f.name not in update_fields:
            continue
        before, after = old.get(f.attname), getattr(instance, f.attname)
        if before == after:
            continue
        changes[f.name] = (
            CHANGED if f.name in entry.sensitive else [_jsonable(before), _jsonable(after)]
        )
    if changes:
        record_event(AuditAction.CHANGE, target=instance, changes=changes)


def _on_post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _suspended.get():
        return
    entry = registry.tracked(sender)
    if entry is None:
        return
    record_event(AuditAction.DELETE, target=instance, changes=_values(instance, entry))


def _on_m2m_changed(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    """Record links added or removed, on the record whose links changed."""
    if _suspended.get():
        return
    name = _m2m_name(sender, type(instance), reverse)
    if action == "pre_clear":
        # The pks are gone after the clear; remember them to say what was removed.
        manager = getattr(instance, name)
        instance.__dict__.setdefault(_M2M_CLEARED, {})[name] = sorted(
            manager.values_list("pk", flat=True)
        )
        return
    if action == "post_clear":
        removed = instance.__dict__.get(_M2M_CLEARED, {}).pop(name, [])
        if removed:
            record_event(AuditAction.CHANGE, target=instance, changes={name: {"removed": removed}})
        return
    if action in ("post_add", "post_remove") and pk_set:
        key = "added" if action == "post_add" else "removed"
        changes = {name: {key: sorted(pk_set, key=str)}}
        record_event(AuditAction.CHANGE, target=instance, changes=changes)


def _m2m_name(through: type[models.Model], model: type[models.Model], reverse: bool) -> str:
    """The attribute of ``model`` that holds the links kept in ``through``."""
    for f in model._meta.get_fields():
        if not f.many_to_many:
            continue
        if reverse and f.auto_created and f.through is through:
            return f.get_accessor_name()
        if not reverse and not f.auto_created and f.remote_field.through is through:
            return f.name
    return through._meta.model_name


def _on_login(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any
) -> None:
    record_event(AuditAction.LOGIN, target=user, actor=_user_actor(user, request_ip(request)))


def _on_login_failed(
    sender: Any, credentials: Mapping[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the username is used. Django already masks the password in `credentials`; it is
    # never read here, so a future change there cannot leak one into the trail.
    user_model = get_user_model()
    attempted = str(credentials.get(user_model.USERNAME_FIELD) or credentials.get("username") or "")
    record_event(
        AuditAction.LOGIN_FAILED,
        target="sign-in",
        object_repr=_attempted_name(attempted),
        changes={"username_key": username_key(attempted)},
        actor=Actor(None, "anonymous", request_ip(request)),
    )


def _attempted_name(attempted: str) -> str:
    """The username tried, if it is an account's; otherwise nothing that could be a secret.

    A person who types their password into the username box must not find it in the trail;
    an existing account's name is safe to keep, and is what a security officer looks for.
    """
    user_model = get_user_model()
    lookup = {f"{user_model.USERNAME_FIELD}__iexact": attempted}
    if attempted and user_model._default_manager.filter(**lookup).exists():
        return attempted[:150]
    return "unknown username"


def username_key(attempted: str) -> str:
    """A keyed hash of a tried username: repeated guesses group together, none reads back."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), attempted.strip().lower().encode(), hashlib.sha256
    )
    return digest.hexdigest()[:16]


_connected = False


def connect() -> None:
    """Connect the handlers to every installed model of the registry (once)."""
    global _connected  # connecting twice would record every event twice
    if _connected:
        return
    count = 0
    for label in registry.REGISTRY:
        app_label, _, model_name = label.partition(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue  # app not installed here
        uid = f"vawg.audit:{label}"
        pre_save.connect(_on_pre_save, sender=model, dispatch_uid=uid, weak=False)
        post_save.connect(_on_post_save, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_on_post_delete, sender=model, dispatch_uid=uid, weak=False)
        for f in model._meta.many_to_many:
            through = f.remote_field.through
            m2m_changed.connect(
                _on_m2m_changed, sender=through, dispatch_uid=f"{uid}.{f.name}", weak=False
            )
        count += 1
    user_logged_in.connect(_on_login, dispatch_uid="vawg.audit:login", weak=False)
    user_login_failed.connect(_on_login_failed, dispatch_uid="vawg.audit:login_failed", weak=False)
    _connected = True
    logger.debug("audit trail recording %d models", count)

"""Writing the operation log. Call inside the same transaction as the change it records."""

from typing import Any

from django.db import models

from .context import current_client_ip
from .models import Event


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def event_record(
    *,
    action: str,
    actor=None,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    result: str = Event.Result.SUCCESS,
    client_ip: str | None = None,
    actor_name: str = "",
) -> Event:
    """Append one event. `action` is a dotted string such as ``case.transition.disclose``."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return Event.objects.create(
        action=action,
        actor=actor,
        actor_name=actor.get_username() if actor is not None else actor_name,
        client_ip=client_ip if client_ip is not None else current_client_ip.get(),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        note=note,
        result=result,
    )

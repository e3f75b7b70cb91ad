"""What every read viewset shares: its schema tag and summaries, and a role guard answered 404."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, permissions
from rest_framework.settings import api_settings


def described(tag, list_summary, detail_summary=None, **extra):
    """Tag and summaries of a viewset's list and detail (and any `extra` action: name → summary)."""
    views = {"list": extend_schema(tags=[tag], summary=list_summary)}
    if detail_summary is not None:
        views["retrieve"] = extend_schema(tags=[tag], summary=detail_summary)
    views.update({name: extend_schema(tags=[tag], summary=summary) for name, summary in extra.items()})
    return extend_schema_view(**views)


def allowed_if(predicate):
    """The default permissions, then `predicate(user)` (a scoping `may_…`): a role that may not see
    the list is told nothing exists (404), as the HTML pages answer."""

    class Guard(permissions.BasePermission):
        def has_permission(self, request, view):
            if request.user.is_authenticated and not predicate(request.user):
                raise exceptions.NotFound()
            return True

    Guard.__name__ = f"Allowed_{predicate.__name__}"
    return [*api_settings.DEFAULT_PERMISSION_CLASSES, Guard]


class OneObjectSchema(AutoSchema):
    """A viewset whose list answers one object (the procedure, the dashboard): not an array in the schema."""

    def _is_list_view(self, serializer=None):
        return False

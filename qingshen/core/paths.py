"""The jurisdiction path a record is filed under, as a field type of its own.

Scopes filter by a path prefix (`/1/3/` and everything below), so records keep a copy of their jurisdiction's
materialised path. When a jurisdiction moves, accounts rewrites every field of this type in every installed
model: a package that files records by path needs only to use this field, not to be known by accounts.
"""

from django.apps import apps
from django.db import models


class JurisdictionPathField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)


def path_fields():
    """(model, field name) of every JurisdictionPathField in the installed models."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, JurisdictionPathField):
                yield model, field.name

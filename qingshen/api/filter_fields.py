"""Numbers in the API's filters are whole numbers the database can hold (core.filter_numbers): a huge
or fractional id or year is a 400 on that parameter, never an overflow in the database."""

import django_filters
from django import forms
from django.db import models
from django_filters import fields as filter_fields
from django_filters.rest_framework import DjangoFilterBackend, FilterSet

from qingshen.core.filter_numbers import BIGGEST, WholeNumberField, WholeNumberFilter

__all__ = [
    "BIGGEST",
    "BoundedFilterBackend",
    "BoundedFilterSet",
    "WholeKeyFilter",
    "WholeNumberField",
    "WholeNumberFilter",
]


class WholeKeyField(filter_fields.ModelChoiceField):
    """A key given as a whole number in range before the database is asked (a huge one is a 400)."""

    def to_python(self, value):
        if value not in self.empty_values:
            try:
                number = int(str(value))
            except ValueError:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                ) from None
            if not -BIGGEST <= number <= BIGGEST:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class WholeKeyFilter(django_filters.ModelChoiceFilter):
    field_class = WholeKeyField


class BoundedFilterSet(FilterSet):
    """A FilterSet whose generated filters of integer and key fields are whole-number filters."""

    FILTER_DEFAULTS = {
        **FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {
            **FilterSet.FILTER_DEFAULTS[models.ForeignKey],
            "filter_class": WholeKeyFilter,
        },
        models.OneToOneField: {
            **FilterSet.FILTER_DEFAULTS[models.OneToOneField],
            "filter_class": WholeKeyFilter,
        },
        **{
            field: {"filter_class": WholeNumberFilter}
            for field in (
                models.AutoField,
                models.BigAutoField,
                models.IntegerField,
                models.BigIntegerField,
                models.SmallIntegerField,
                models.PositiveIntegerField,
                models.PositiveSmallIntegerField,
                models.PositiveBigIntegerField,
            )
        },
    }


class BoundedFilterBackend(DjangoFilterBackend):
    filterset_base = BoundedFilterSet

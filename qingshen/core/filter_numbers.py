"""Numbers in list filters are whole numbers the database can hold: django-filter's NumberFilter takes
any decimal (1e78 reached SQLite as an integer overflow, a 500), so ids and years are IntegerFields
bounded to a 64-bit column; anything else is refused on that parameter."""

import django_filters
from django import forms

BIGGEST = 2**63 - 1


class WholeNumberField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -BIGGEST)
        kwargs.setdefault("max_value", BIGGEST)
        super().__init__(*args, **kwargs)


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = WholeNumberField

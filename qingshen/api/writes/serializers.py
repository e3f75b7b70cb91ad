"""What the write endpoints accept: the fields of the HTML forms, with the same limits and validators."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from qingshen.core.text import NAME_VALIDATORS
from qingshen.programmes.models import Milestone


def _text(max_length: int, **kwargs):
    return serializers.CharField(
        required=False, allow_blank=True, max_length=max_length, validators=NAME_VALIDATORS, **kwargs
    )


class ProgrammeWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    title = _text(200, help_text=_("Left empty, the title is made from the year and the city."))
    document_number = _text(100, help_text=_("Document number (文号)"))
    issuing_body = _text(200)
    issued_on = serializers.DateField(required=False, allow_null=True)


class MilestoneWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Milestone.Kind.choices)
    name = _text(200, help_text=_("For a kind other than “other” the name may be left to the kind."))
    due_on = serializers.DateField()
    source = _text(200)

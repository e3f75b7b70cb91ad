"""What the write endpoints accept: the fields of the HTML forms, with the same limits and validators."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from qingshen.api.errors import TooLarge
from qingshen.cases.models import Document
from qingshen.core.text import NAME_VALIDATORS
from qingshen.programmes.models import Milestone

# The types the enterprise side uploads, as on the documents page: opinions and withdrawal proofs come
# from the bureau through their own steps.
UPLOAD_KINDS = [(k, label) for k, label in Document.Kind.choices if k not in Document.ISSUED_KINDS]


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


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=UPLOAD_KINDS)
    file = serializers.FileField(help_text=_("multipart/form-data; at most QINGSHEN_UPLOAD_MAX_BYTES."))

    def validate_file(self, upload):
        if upload.size > settings.QINGSHEN_UPLOAD_MAX_BYTES:
            raise TooLarge(
                _("The file is larger than the limit of %(limit)s.")
                % {"limit": filesizeformat(settings.QINGSHEN_UPLOAD_MAX_BYTES)}
            )
        return upload


class DocumentStoredSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "case",
            "kind",
            "kind_display",
            "version",
            "original_name",
            "size",
            "sha256",
            "uploaded_at",
        ]

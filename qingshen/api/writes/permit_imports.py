"""A discharge-permit import as a job resource, as the permit import pages and the list import's job
(api.writes.imports): upload the permit system's export (checked, stored, queued for the row check) →
the job's status, progress and report (errors and the permits it would write) → commit (queued, all
permits or none), through programmes.permits.batches, which logs each step.

City and district bureau staff import into their own jurisdiction (others: 403). A file over
QINGSHEN_IMPORT_MAX_BYTES is 413; a file the checks refuse is 400 beside `file`. A job is its uploader's
(others: 404); committing one that is not ready is 409 with its status.
"""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qingshen.api.error_schema import ERROR_RESPONSES, TOO_LARGE_RESPONSE
from qingshen.api.errors import Conflict, TooLarge
from qingshen.api.reads.base import described
from qingshen.api.writes.imports import NOT_READY, ImportProblemSerializer
from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import PermitBatch
from qingshen.programmes.permits import batches

TAG = gettext_lazy("Permit imports")


class PermitUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=gettext_lazy("The permit system's export as .xlsx or .csv (multipart/form-data).")
    )

    def validate_file(self, upload):
        if upload.size > settings.QINGSHEN_IMPORT_MAX_BYTES:
            raise TooLarge(
                _("The file is larger than the limit of %(limit)s.")
                % {"limit": filesizeformat(settings.QINGSHEN_IMPORT_MAX_BYTES)}
            )
        return upload


class PreviewPollutantSerializer(serializers.Serializer):
    pollutant = serializers.CharField()
    outlet = serializers.CharField(allow_blank=True)
    limit_value = serializers.CharField()
    unit = serializers.CharField()


class PreviewPermitSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=gettext_lazy("The permit's first row in the file."))
    number = serializers.CharField()
    enterprise = serializers.IntegerField(source="enterprise_id")
    name = serializers.CharField(help_text=gettext_lazy("The enterprise's name in the registry."))
    management_class = serializers.CharField()
    issuing_authority = serializers.CharField(allow_blank=True)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()
    is_new = serializers.BooleanField(help_text=gettext_lazy("Not recorded yet (else brought in line)."))
    pollutants = PreviewPollutantSerializer(many=True)


class PermitJobSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    errors = ImportProblemSerializer(many=True, read_only=True)
    permits = PreviewPermitSerializer(
        source="rows",
        many=True,
        read_only=True,
        help_text=gettext_lazy("The permits checked and ready to import (the preview)."),
    )

    class Meta:
        model = PermitBatch
        fields = [
            "id",
            "jurisdiction",
            "original_name",
            "status",
            "status_display",
            "total_rows",
            "processed_rows",
            "percent",
            "created_count",
            "changed_count",
            "errors",
            "permits",
            "created_at",
            "interrupted_at",
        ]


@described(
    TAG,
    gettext_lazy("Your permit imports"),
    gettext_lazy("One permit import: status, progress, report"),
    create=gettext_lazy("Upload an export of the permit system: a job"),
    commit=gettext_lazy("Commit a checked permit import"),
)
class PermitImportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PermitJobSerializer

    def get_queryset(self):
        return scoping.permit_batches_visible(self.request.user).order_by("-created_at", "-pk")

    def get_parsers(self):
        if getattr(self, "action", None) == "create" or self.request is None:
            return [parsers.MultiPartParser()]
        return super().get_parsers()

    @extend_schema(
        description=gettext_lazy(
            "For city and district bureau staff: every permit's enterprise must lie in your jurisdiction. "
            "The file is checked row by row in the background: read the job until its status is ready "
            "(then commit it) or invalid (its errors say what to fix)."
        ),
        request={"multipart/form-data": PermitUploadSerializer},
        responses={202: PermitJobSerializer, 413: TOO_LARGE_RESPONSE, **ERROR_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        if not scoping.may_import_permits(request.user):
            raise exceptions.PermissionDenied(_("You may not import discharge permits."))
        sent = PermitUploadSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        try:
            batch = batches.permit_batch_create(upload=sent.validated_data["file"], actor=request.user)
        except ProgrammeError as exc:
            raise exceptions.ValidationError({"file": [exc.message]}) from exc
        batch.refresh_from_db()
        return Response(PermitJobSerializer(batch).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        description=gettext_lazy(
            "The permits are written in the background, all or none: read the job until it is committed."
        ),
        request=None,
        responses={202: PermitJobSerializer, 409: NOT_READY, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        batch = self.get_object()
        try:
            batches.permit_batch_commit_request(batch=batch, actor=request.user)
        except ProgrammeError as exc:
            batch.refresh_from_db()
            raise Conflict(exc.message, code="refused", extra={"status": batch.status}) from exc
        batch.refresh_from_db()
        return Response(PermitJobSerializer(batch).data, status=status.HTTP_202_ACCEPTED)

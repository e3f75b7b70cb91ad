"""A list import as a job resource, as the import pages: upload (the file checked, stored and queued
for the row check) → the job's status and progress → its validation report → commit (queued, all rows
or none), through programmes.imports.batches, which logs the upload.

The programme must be in the caller's scope (else 404) and its list the caller's to import into now
(city or district staff, the district's proposal open; else 403; a list past the draft: 409). A file over
QINGSHEN_IMPORT_MAX_BYTES is 413; a file the checks refuse is 400 beside `file`. A job is its
uploader's (others: 404); committing one that is not ready is 409 with its status.
"""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from qingshen.api.error_schema import ERROR_RESPONSES, TOO_LARGE_RESPONSE, ErrorSerializer
from qingshen.api.errors import Conflict, TooLarge
from qingshen.api.reads.base import described
from qingshen.api.writes.listings import LIST_REFUSED, not_draft_conflict, programme_for_workflow
from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.imports import batches
from qingshen.programmes.imports.stored_rows import StoredRows, with_row_count
from qingshen.programmes.models import ImportBatch

TAG = gettext_lazy("List imports")
NOT_READY = OpenApiResponse(
    ErrorSerializer, description=gettext_lazy("The job is not ready to commit (see its status).")
)


class ImportUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportBatch.Kind.choices, default=ImportBatch.Kind.ANNUAL)
    file = serializers.FileField(help_text=gettext_lazy("The list as .xlsx or .csv (multipart/form-data)."))

    def validate_file(self, upload):
        if upload.size > settings.QINGSHEN_IMPORT_MAX_BYTES:
            raise TooLarge(
                _("The file is larger than the limit of %(limit)s.")
                % {"limit": filesizeformat(settings.QINGSHEN_IMPORT_MAX_BYTES)}
            )
        return upload


class ImportProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField(allow_blank=True)
    problem = serializers.CharField()
    fix = serializers.CharField(allow_blank=True)


class ImportConflictSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    uscc = serializers.CharField()
    file_name = serializers.CharField()
    registry_name = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    row_count = serializers.SerializerMethodField(help_text=gettext_lazy("Rows checked and ready to import."))
    errors = ImportProblemSerializer(many=True, read_only=True)
    conflicts = ImportConflictSerializer(
        many=True,
        read_only=True,
        help_text=gettext_lazy("Credit codes registered under another name: each needs keep or rename."),
    )

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "programme",
            "kind",
            "original_name",
            "status",
            "status_display",
            "total_rows",
            "processed_rows",
            "percent",
            "row_count",
            "created_count",
            "errors",
            "conflicts",
            "created_at",
            "interrupted_at",
        ]

    def get_row_count(self, batch) -> int:
        counted = getattr(batch, "row_count", None)  # annotated by the job list, rows not loaded
        return len(StoredRows(batch.pk)) if counted is None else counted


class ImportCommitSerializer(serializers.Serializer):
    rename = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        default=list,
        help_text=gettext_lazy("Rows of `conflicts` whose file name replaces the registry's."),
    )
    keep = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        default=list,
        help_text=gettext_lazy("Rows of `conflicts` that keep the registry's name."),
    )


class ProgrammeImportView(APIView):
    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Upload a list file into a draft list: a job"),
        description=gettext_lazy(
            "The file is checked row by row in the background: read the job until its status is ready "
            "(then commit it) or invalid (its errors say what to fix)."
        ),
        request={"multipart/form-data": ImportUploadSerializer},
        responses={202: ImportJobSerializer, 409: LIST_REFUSED, 413: TOO_LARGE_RESPONSE, **ERROR_RESPONSES},
    )
    def post(self, request, pk: int):
        programme = programme_for_workflow(request, pk)
        if programme.list_state != programme.ListState.DRAFT:
            raise not_draft_conflict(programme)
        if not scoping.may_import_list(request.user, programme):
            raise exceptions.PermissionDenied(_("You may not import into this list now."))
        sent = ImportUploadSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        try:
            batch = batches.import_batch_create(
                programme=programme,
                kind=sent.validated_data["kind"],
                upload=sent.validated_data["file"],
                actor=request.user,
            )
        except ProgrammeError as exc:
            raise exceptions.ValidationError({"file": [exc.message]}) from exc
        batch.refresh_from_db()
        return Response(ImportJobSerializer(batch).data, status=status.HTTP_202_ACCEPTED)


@described(TAG, gettext_lazy("Your list imports"), gettext_lazy("One list import: status, progress, report"))
class ImportJobViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ImportJobSerializer

    def get_queryset(self):
        return with_row_count(scoping.imports_visible(self.request.user)).order_by("-created_at", "-pk")

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Commit a checked list import"),
        description=gettext_lazy(
            "Every row of `conflicts` needs a decision, in `rename` or in `keep`. The rows are written "
            "in the background, all or none: read the job until it is committed."
        ),
        request=ImportCommitSerializer,
        responses={202: ImportJobSerializer, 409: NOT_READY, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        batch = self.get_object()
        sent = ImportCommitSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        rename, keep = set(sent.validated_data["rename"]), set(sent.validated_data["keep"])
        rows = {c["row"] for c in batch.conflicts}
        if rename & keep or not (rename | keep) <= rows:
            raise exceptions.ValidationError({"rename": [_("Name only rows of `conflicts`, each once.")]})
        if rows - rename - keep:
            missing = "、".join(str(r) for r in sorted(rows - rename - keep))
            raise exceptions.ValidationError(
                {"keep": [_("Rows %(rows)s: choose keep or rename.") % {"rows": missing}]}
            )
        try:
            batches.import_batch_commit_request(batch=batch, actor=request.user, renames=rename)
        except ProgrammeError as exc:
            batch.refresh_from_db()
            raise Conflict(exc.message, code="refused", extra={"status": batch.status}) from exc
        batch.refresh_from_db()
        batch.row_count = None  # counted before the commit request: count again
        return Response(ImportJobSerializer(batch).data, status=status.HTTP_202_ACCEPTED)

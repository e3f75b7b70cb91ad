"""`POST /api/v1/cases/{id}/documents/`: a document uploaded with the documents page's checks.

The case must be in the caller's scope (else 404) and its materials the caller's to edit, the
enterprise or its delegated agency (else 403); a file over the limit is 413; the content checks of
cases.documents (type, executables, archives) refuse as 400. The store logs the upload.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, parsers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from qingshen.api.error_schema import ERROR_RESPONSES, TOO_LARGE_RESPONSE
from qingshen.api.writes.serializers import DocumentStoredSerializer, DocumentUploadSerializer
from qingshen.cases import scoping, selectors
from qingshen.cases.documents import document_store
from qingshen.core.errors import NotFound


class CaseDocumentUploadView(APIView):
    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        tags=[gettext_lazy("Cases")],
        summary=gettext_lazy("Upload a document of a case"),
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentStoredSerializer, 413: TOO_LARGE_RESPONSE, **ERROR_RESPONSES},
    )
    def post(self, request, pk: int):
        case = selectors.case_get(user=request.user, pk=pk)
        if case is None:
            raise NotFound(_("No such case."))
        if not scoping.may_edit_case_materials(request.user, case):
            raise exceptions.PermissionDenied(
                _("Only the enterprise or its agency uploads this case's documents.")
            )
        sent = DocumentUploadSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        doc = document_store(
            case=case,
            kind=sent.validated_data["kind"],
            upload=sent.validated_data["file"],
            actor=request.user,
        )
        return Response(DocumentStoredSerializer(doc).data, status=status.HTTP_201_CREATED)

"""The caller as the API knows them: role, jurisdiction and department (authority), and the token of
the request, so a script checks whose work it does before it writes."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qingshen.accounts.models import ApiToken
from qingshen.accounts.roles import Authority, Role
from qingshen.api.error_schema import ERROR_RESPONSES


class MeTokenSerializer(serializers.ModelSerializer):
    scope_display = serializers.CharField(source="get_scope_display", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "scope", "scope_display", "expires_at"]


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices, allow_blank=True)
    role_display = serializers.CharField(source="get_role_display")
    jurisdiction = serializers.IntegerField(source="jurisdiction_id", allow_null=True)
    enterprise = serializers.IntegerField(source="enterprise_id", allow_null=True)
    agency = serializers.IntegerField(source="agency_id", allow_null=True)
    authority = serializers.ChoiceField(
        choices=Authority.choices,
        help_text=_(
            "The department of a bureau account: the energy-saving authority acts only on the cases it "
            "leads and reads the others of its jurisdiction."
        ),
    )
    authority_display = serializers.CharField(source="get_authority_display")
    token = serializers.SerializerMethodField(help_text=_("The token of this request (none: the session)."))

    @extend_schema_field(MeTokenSerializer(allow_null=True))
    def get_token(self, user):
        token = self.context.get("token")
        return MeTokenSerializer(token).data if isinstance(token, ApiToken) else None


class MeView(APIView):
    @extend_schema(
        tags=[_("Account")],
        summary=_("Who you are: role, jurisdiction, department and the token in use"),
        responses={200: MeSerializer, **ERROR_RESPONSES},
    )
    def get(self, request):
        return Response(MeSerializer(request.user, context={"token": request.auth}).data)

"""Review meetings (集中评估/验收) as the API shows them — the applications with their site-visit and
meeting dates, the panel's requests for revision (修改完善) and sign-off, the public notice (公示) and its
objections — and what their write endpoints accept."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qingshen.api.error_schema import ErrorSerializer
from qingshen.core.text import PUBLIC_TEXT_VALIDATORS
from qingshen.reviews.models import MeetingCase, Objection, ReviewKind, ReviewMeeting, RevisionRequest
from qingshen.reviews.services import publicity, revisions


class RevisionSerializer(serializers.ModelSerializer):
    items = serializers.ListField(child=serializers.CharField(), read_only=True)
    is_open = serializers.BooleanField(read_only=True, help_text=_("Not signed off yet."))

    class Meta:
        model = RevisionRequest
        fields = [
            "id",
            "review",
            "items",
            "due_on",
            "requested_at",
            "document",
            "revised_at",
            "signed_off_at",
            "sign_off_note",
            "is_open",
        ]


class MeetingCaseSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="review.case_id", read_only=True)
    enterprise_name = serializers.CharField(source="review.case.enterprise.name", read_only=True)
    review_status = serializers.CharField(source="review.status", read_only=True)
    outcome = serializers.CharField(source="review.outcome", read_only=True)
    panel = serializers.SerializerMethodField(help_text=_("The application's drawn panel, if any."))
    revisions = RevisionSerializer(source="review.revisions", many=True, read_only=True)

    class Meta:
        model = MeetingCase
        fields = [
            "review",
            "case",
            "enterprise_name",
            "review_status",
            "outcome",
            "site_visit_on",
            "meeting_on",
            "panel",
            "revisions",
        ]

    def get_panel(self, obj) -> int | None:
        panel = getattr(obj.review, "panel", None)
        return panel.pk if panel else None


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "meeting", "review", "name", "contact", "text", "lodged_at", "answer", "answered_at"]


class ObjectionLodgedSerializer(serializers.ModelSerializer):
    """What the person who objected is told back (the organiser sees the rest)."""

    class Meta:
        model = Objection
        fields = ["id", "meeting", "review", "lodged_at"]


class MeetingSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    panel_mode_display = serializers.CharField(source="get_panel_mode_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    organiser_name = serializers.CharField(source="organiser.name", read_only=True)

    class Meta:
        model = ReviewMeeting
        fields = [
            "id",
            "kind",
            "kind_display",
            "held_on",
            "place",
            "organiser",
            "organiser_name",
            "panel_mode",
            "panel_mode_display",
            "status",
            "status_display",
            "notice_from",
            "notice_until",
            "finalised_on",
        ]


class MeetingDetailSerializer(MeetingSerializer):
    applications = serializers.SerializerMethodField(
        help_text=_("The meeting's applications you see, in the order they joined.")
    )
    objections = serializers.SerializerMethodField(
        help_text=_("Objections lodged during the public notice: to the organiser only (else empty).")
    )
    organiser_may_act = serializers.BooleanField(
        read_only=True, help_text=_("Whether you are the organising bureau's staff.")
    )

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "applications", "objections", "organiser_may_act"]

    @extend_schema_field(MeetingCaseSerializer(many=True))
    def get_applications(self, obj):
        return MeetingCaseSerializer(obj.rows_seen, many=True).data

    @extend_schema_field(ObjectionSerializer(many=True))
    def get_objections(self, obj):
        return ObjectionSerializer(obj.objections_seen, many=True).data


def _text(max_length: int, **kwargs):
    return serializers.CharField(max_length=max_length, validators=PUBLIC_TEXT_VALIDATORS, **kwargs)


class MeetingCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReviewKind.choices)
    held_on = serializers.DateField()
    place = _text(200)
    panel_mode = serializers.ChoiceField(choices=ReviewMeeting.PanelMode.choices)
    reviews = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=200,
        help_text=_("Ids of accepted applications (受理) your bureau organises, in no meeting yet."),
    )


class MeetingDatesSerializer(serializers.Serializer):
    site_visit_on = serializers.DateField(required=False, allow_null=True, default=None)
    meeting_on = serializers.DateField(required=False, allow_null=True, default=None)


class ObjectionLodgeSerializer(serializers.Serializer):
    review = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The result objected to; left out, the whole batch."),
    )
    name = _text(publicity.NAME_MAX)
    contact = _text(publicity.CONTACT_MAX, help_text=_("Phone or e-mail"))
    text = _text(publicity.TEXT_MAX)


class AnswerSerializer(serializers.Serializer):
    answer = _text(publicity.TEXT_MAX)


class RevisionRequestSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.CharField(max_length=500, validators=PUBLIC_TEXT_VALIDATORS),
        min_length=1,
        max_length=revisions.ITEMS_MAX,
        help_text=_("What the enterprise is to revise, one point each."),
    )
    due_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Left out, the deadline the rule review_revision_days gives."),
    )


class SignOffSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, validators=PUBLIC_TEXT_VALIDATORS
    )


class RevisedReportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("multipart/form-data; at most QINGSHEN_UPLOAD_MAX_BYTES."))


class MeetingConflictSerializer(ErrorSerializer):
    status = serializers.CharField(help_text=_("The meeting's (or the review's) status now."))

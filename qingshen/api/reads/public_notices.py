"""The public notices (公示) of review results without a token, as the public notice pages show them:
each batch on notice or final with its period, the results (enterprise, credit code, district,
conclusion, level) and the objections answered, under their number, with the answer only: the
objector's name, contact and text are never shown. An objection is lodged at
`/api/v1/public/notices/{id}/objections/`."""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from qingshen.api.reads.base import described
from qingshen.api.reads.public import TAG, Public
from qingshen.cases.states import level_label
from qingshen.reviews import scoping
from qingshen.reviews.meeting_models import MeetingCase, Objection, ReviewMeeting
from qingshen.reviews.services import publicity


class NoticeResultSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="review.case.enterprise.name")
    enterprise_uscc = serializers.CharField(source="review.case.enterprise.uscc")
    district_name = serializers.CharField(source="review.case.jurisdiction.local_name")
    conclusion = serializers.CharField(
        source="review.outcome_label", help_text=_("The conclusion as the notice shows it.")
    )
    level = serializers.CharField(source="review.level", help_text=_("The level reached (blank: none)."))
    level_display = serializers.SerializerMethodField()

    class Meta:
        model = MeetingCase
        fields = [
            "review",
            "enterprise_name",
            "enterprise_uscc",
            "district_name",
            "conclusion",
            "level",
            "level_display",
        ]

    def get_level_display(self, obj) -> str:
        return str(level_label(obj.review.level) or "")


class NoticeAnswerSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(
        source="pk", help_text=_("The objection's number, as the objector was told.")
    )
    lodged_on = serializers.SerializerMethodField()
    enterprise_name = serializers.SerializerMethodField(
        help_text=_("The enterprise whose result was objected to (blank: the whole batch).")
    )
    answered_on = serializers.SerializerMethodField()

    class Meta:
        model = Objection
        fields = ["number", "review", "enterprise_name", "lodged_on", "answered_on", "answer"]

    @extend_schema_field(serializers.DateField())
    def get_lodged_on(self, obj):
        return obj.lodged_at.date().isoformat()

    @extend_schema_field(serializers.DateField())
    def get_answered_on(self, obj):
        return obj.answered_at.date().isoformat()

    def get_enterprise_name(self, obj) -> str:
        return obj.review.case.enterprise.name if obj.review_id else ""


class PublicNoticeSerializer(serializers.ModelSerializer):
    organiser_name = serializers.CharField(source="organiser.name")
    kind_display = serializers.CharField(source="get_kind_display")
    status_display = serializers.CharField(source="get_status_display")
    results = NoticeResultSerializer(source="cases", many=True)
    answers = serializers.SerializerMethodField(help_text=_("The objections answered, by number."))

    class Meta:
        model = ReviewMeeting
        fields = [
            "id",
            "organiser_name",
            "kind",
            "kind_display",
            "held_on",
            "place",
            "status",
            "status_display",
            "notice_from",
            "notice_until",
            "finalised_on",
            "results",
            "answers",
        ]

    @extend_schema_field(NoticeAnswerSerializer(many=True))
    def get_answers(self, obj):
        return NoticeAnswerSerializer(obj.answered, many=True).data


class PublicNoticeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[(s.value, s.label) for s in (ReviewMeeting.Status.NOTICE, ReviewMeeting.Status.FINAL)],
        label=_("Status"),
    )
    kind = django_filters.ChoiceFilter(choices=ReviewMeeting._meta.get_field("kind").choices, label=_("Kind"))

    class Meta:
        model = ReviewMeeting
        fields = ["status", "kind"]


@described(
    TAG,
    _(
        "Public notices (公示) of evaluation and acceptance results, newest first; ?status=notice for those running"
    ),
    _("One public notice of review results"),
)
class PublicNoticeViewSet(Public, viewsets.ReadOnlyModelViewSet):
    serializer_class = PublicNoticeSerializer
    filterset_class = PublicNoticeFilter

    def get_queryset(self):
        results = Prefetch(
            "cases",
            queryset=MeetingCase.objects.select_related(
                "review__case__enterprise", "review__case__jurisdiction"
            ).order_by("pk"),
        )
        answered = Prefetch(
            "objections",
            queryset=Objection.objects.filter(answered_at__isnull=False)
            .select_related("review__case__enterprise")
            .order_by("pk"),
            to_attr="answered",
        )
        return (
            scoping.meetings_public()
            .select_related("organiser")
            .prefetch_related(results, answered)
            .order_by("-notice_from", "-pk")
        )

    def list(self, request, *args, **kwargs):
        publicity.meetings_finalise_due()  # a notice that has ended is shown final, as on the page
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        pk = str(kwargs.get("pk", ""))
        if pk.isascii() and pk.isdigit() and len(pk) <= 18:
            publicity.meeting_finalise(meeting_id=int(pk))
        return super().retrieve(request, *args, **kwargs)

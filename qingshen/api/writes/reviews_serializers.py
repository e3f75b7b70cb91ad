"""What the review write endpoints accept and answer: the fields of the review pages' forms, with the
same limits, and the 409 of a review whose state refuses the step."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from qingshen.api.error_schema import ErrorSerializer
from qingshen.api.errors import TooLarge
from qingshen.cases.states import Level
from qingshen.core.text import PUBLIC_TEXT_VALIDATORS
from qingshen.reviews import rules
from qingshen.reviews.models import ReviewKind, Score

REASON_MAX, REQUIREMENTS_MAX = 2000, 4000  # as the review pages' fields


def _text(max_length: int, **kwargs):
    return serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=max_length,
        validators=PUBLIC_TEXT_VALIDATORS,
        **kwargs,
    )


class ApplicationSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReviewKind.choices)
    materials = serializers.DictField(
        child=serializers.FileField(),
        required=False,
        default=dict,
        help_text=_(
            "multipart/form-data: one file per checklist item, sent as the part `materials.<item code>`."
        ),
    )
    existing = serializers.DictField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=dict,
        help_text=_(
            "A current document of the case handed in for a checklist item: item code → document id "
            "(in multipart/form-data the part `existing.<item code>`). An upload for the item wins."
        ),
    )

    def validate_materials(self, materials):
        limit = settings.QINGSHEN_UPLOAD_MAX_BYTES
        if any(upload.size > limit for upload in materials.values()):
            raise TooLarge(
                _("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)}
            )
        return materials


class CheckSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[("accept", _("Accept (受理)")), ("refuse", _("Refuse (不予受理)"))]
    )
    missing = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        default=list,
        help_text=_("The codes of the checklist items missing or deficient (to refuse)."),
    )
    reason = _text(REASON_MAX)
    override_reason = _text(
        REASON_MAX,
        help_text=_(
            "To refuse a complete application: the reason; it is recorded as an accountability case."
        ),
    )


class SeatAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    no_conflict = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("To accept: you declare that you have no conflict of interest with the enterprise."),
    )
    conflict = _text(REASON_MAX, help_text=_("A conflict to declare (the seat is declined)."))
    reason = _text(REASON_MAX)


class ScoreSheetInputSerializer(serializers.Serializer):
    points = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=40),
        help_text=_("Rubric item id → points; bonus items may be left out."),
    )
    vetoes = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        help_text=_("The ids of the veto items you raise."),
    )
    comment = _text(REQUIREMENTS_MAX)


class ScoreSheetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Score
        fields = ["id", "seat", "total", "vetoed", "comment", "submitted_at"]


class ConfirmSerializer(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=Level.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("For a passed acceptance: the level the enterprise reached."),
    )
    requirements = _text(REQUIREMENTS_MAX)
    agency_rating = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The rating of the case's agency, on the scale of the rule in force."),
    )
    agency_comment = _text(REASON_MAX)

    def validate_agency_rating(self, rating):
        low, high = rules.agency_rating_scale()
        if rating is not None and not low <= rating <= high:
            raise serializers.ValidationError(
                _("The agency rating is from %(min)s to %(max)s.") % {"min": low, "max": high}
            )
        return rating


class ReviewConflictSerializer(ErrorSerializer):
    status = serializers.CharField(
        help_text=_("The review's status now (for an application: the case's state).")
    )

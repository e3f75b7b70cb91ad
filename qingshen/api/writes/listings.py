"""A draft list's entries and its workflow through the API, as the proposal, merge, confirmation and
programme pages: a district (or the city) adds and removes listings, then every step of the list's
table (programmes.lists) — the district submits its proposal, the city returns it or submits the list,
the province confirms or returns it, the city publishes it.

The programme is looked up through the caller's scope (staff who see case data; else 404). Adding or
removing while the list has left the draft, or while the district's proposal waits for the city, is
409; a role that adds no listings is 403. A step the table refuses (state, role, missing comment, empty
list) is 409 with the list's state, the proposal's and the steps the caller may take now.
programmes.listings and programmes.lists write and log.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from qingshen.api.error_schema import ERROR_RESPONSES, ErrorSerializer
from qingshen.api.errors import Conflict
from qingshen.api.reads.programmes import ListingViewSet
from qingshen.api.serializers_programmes import ListingSerializer
from qingshen.core.errors import NotFound
from qingshen.core.text import NAME_VALIDATORS
from qingshen.programmes import listings, lists, scoping, selectors
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import DistrictProposal, Ground, Listing, Programme

TAG = gettext_lazy("Programmes")
LIST_REFUSED = OpenApiResponse(
    ErrorSerializer,
    description=gettext_lazy(
        "The list has left the draft, the district's proposal waits for the city, or the enterprise is "
        "on the list already."
    ),
)


class ListingWriteSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(help_text=gettext_lazy("The enterprise's id."))
    grounds = serializers.ListField(child=serializers.ChoiceField(choices=Ground.choices), allow_empty=False)
    other_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500, default="", validators=NAME_VALIDATORS
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=500, default="", validators=NAME_VALIDATORS
    )

    def validate(self, data):
        if Ground.OTHER in data["grounds"] and not data["other_reason"].strip():
            raise serializers.ValidationError({"other_reason": [_("The ground “other” needs a reason.")]})
        return data


class ListStepSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=[t.name for t in lists.TRANSITIONS])
    district = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy(
            "The district whose proposal the step moves (proposal.submit, proposal.return)."
        ),
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default="", validators=NAME_VALIDATORS
    )
    published_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("The publication date (publish); today when left out."),
    )


class ListStepResultSerializer(serializers.Serializer):
    list_state = serializers.ChoiceField(choices=Programme.ListState.choices)
    district = serializers.IntegerField(allow_null=True)
    proposal_status = serializers.ChoiceField(choices=DistrictProposal.Status.choices, allow_null=True)
    allowed_steps = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("The steps you may take now.")
    )


class ListStepConflictSerializer(ErrorSerializer, ListStepResultSerializer):
    pass


STEP_REFUSED = OpenApiResponse(
    ListStepConflictSerializer,
    description=gettext_lazy(
        "The list's table refuses the step: its state or the proposal's, your role, a missing comment "
        "or an empty list."
    ),
)


def programme_for_workflow(request, pk: int) -> Programme:
    programme = selectors.programme_get(user=request.user, pk=pk)
    if programme is None or not scoping.may_see_list_workflow(request.user, programme):
        raise NotFound(_("No such programme."))
    return programme


def not_draft_conflict(programme: Programme) -> Conflict:
    return Conflict(
        _("The list has left the draft: its entries can no longer change."),
        code="refused",
        extra={"list_state": programme.list_state},
    )


def _state(user, programme: Programme, district) -> dict:
    """The list's state, the district's proposal's and the steps the user may take now."""
    programme.refresh_from_db(fields=["list_state"])
    proposal = (
        DistrictProposal.objects.filter(programme=programme, district=district).first() if district else None
    )
    proposal_status = (
        proposal.status if proposal else (DistrictProposal.Status.DRAFTING if district else None)
    )
    allowed = []
    for step in lists.TRANSITIONS:
        if step.subject == lists.PROPOSAL:
            if district is None or programme.list_state not in step.list_states:
                continue
            state = proposal_status
        else:
            state = programme.list_state
        if state in step.sources and scoping.may_take_list_step(user, programme, step, district):
            allowed.append(step.name)
    return {
        "list_state": programme.list_state,
        "district": district.pk if district else None,
        "proposal_status": proposal_status,
        "allowed_steps": allowed,
    }


class ProgrammeListingView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Add an enterprise to a draft list"),
        description=gettext_lazy(
            "As the add form of the programme and proposal pages: the city for any enterprise of the city, "
            "a district for its own while its proposal is open."
        ),
        request=ListingWriteSerializer,
        responses={201: ListingSerializer, 409: LIST_REFUSED, **ERROR_RESPONSES},
    )
    def post(self, request, pk: int):
        programme = programme_for_workflow(request, pk)
        if programme.list_state != Programme.ListState.DRAFT:
            raise not_draft_conflict(programme)
        if not scoping.may_add_listings(request.user, programme):
            raise exceptions.PermissionDenied(_("You may not add enterprises to this list."))
        sent = ListingWriteSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        data = sent.validated_data
        enterprise = (
            selectors.enterprises_addable(user=request.user, programme=programme)
            .filter(pk=data["enterprise"])
            .select_related("jurisdiction")
            .first()
        )
        if enterprise is None:
            if selectors.listings_of(user=request.user, programme=programme).filter(
                enterprise_id=data["enterprise"]
            ):
                raise Conflict(_("The enterprise is on this list already."), code="refused")
            raise exceptions.ValidationError(
                {"enterprise": [_("No such enterprise among those you may add.")]}
            )
        try:
            listing = listings.listing_add(
                programme=programme,
                enterprise=enterprise,
                grounds=data["grounds"],
                actor=request.user,
                other_reason=data["other_reason"],
                note=data["note"],
            )
        except ProgrammeError as exc:  # the proposal waits for the city, or the list moved meanwhile
            raise Conflict(exc.message, code="refused", extra={"list_state": programme.list_state}) from exc
        listing = ListingViewSet(request=request).get_queryset().get(pk=listing.pk)
        return Response(ListingSerializer(listing).data, status=status.HTTP_201_CREATED)


class ListingWriteViewSet(ListingViewSet):
    """The read endpoints with the removal of a draft list's entry beside them."""

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Take an enterprise off a draft list"),
        request=None,
        responses={204: None, 409: LIST_REFUSED, **ERROR_RESPONSES},
    )
    def destroy(self, request, pk=None):
        listing: Listing = self.get_object()
        programme = programme_for_workflow(request, listing.programme_id)
        if programme.list_state != Programme.ListState.DRAFT:
            raise not_draft_conflict(programme)
        if not scoping.may_add_listings(request.user, programme):
            raise exceptions.PermissionDenied(_("You may not change this list."))
        try:
            listings.listing_remove(listing=listing, actor=request.user)
        except ProgrammeError as exc:
            raise Conflict(exc.message, code="refused", extra={"list_state": programme.list_state}) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


class ListStepView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Take a step of the list's workflow"),
        description=gettext_lazy(
            "proposal.submit (the district), proposal.return (the city, with a comment), submit (the city, "
            "to the province), confirm or return (the province; return with a comment), publish (the city, "
            "on `published_on`). The answer names the steps you may take next."
        ),
        request=ListStepSerializer,
        responses={200: ListStepResultSerializer, 409: STEP_REFUSED, **ERROR_RESPONSES},
    )
    def post(self, request, pk: int):
        programme = programme_for_workflow(request, pk)
        sent = ListStepSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        data = sent.validated_data
        transition = lists.transition_get(data["name"])
        district = None
        if data["district"] is not None:
            district = (
                scoping.proposal_districts_visible(request.user, programme)
                .filter(pk=data["district"])
                .first()
            )
            if district is None:
                raise exceptions.ValidationError({"district": [_("No such district of this programme.")]})
        if transition.subject == lists.PROPOSAL and district is None:
            raise exceptions.ValidationError({"district": [_("Name the district whose proposal it is.")]})
        try:
            lists.list_transition(
                programme=programme,
                name=data["name"],
                actor=request.user,
                district=district if transition.subject == lists.PROPOSAL else None,
                comment=data["comment"],
                published_on=data["published_on"],
            )
        except ProgrammeError as exc:
            raise Conflict(
                exc.message, code="transition_refused", extra=_state(request.user, programme, district)
            ) from exc
        return Response(ListStepResultSerializer(_state(request.user, programme, district)).data)

"""The addresses of group audits, review meetings (with their revision round and objections) and
voluntary audits under /api/v1/, included by qingshen.api.urls."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from qingshen.api.writes import groups, meeting_seats, meetings, revisions, voluntary

router = SimpleRouter()
router.register("groups", groups.GroupViewSet, basename="api-group")
router.register("meetings", meetings.MeetingViewSet, basename="api-meeting")
router.register("voluntary", voluntary.VoluntaryViewSet, basename="api-voluntary")

urlpatterns = [
    path("", include(router.urls)),
    path(
        "public/notices/<int:pk>/objections/",
        meetings.ObjectionLodgeView.as_view(),
        name="api-objection-lodge",
    ),
    path(
        "meetings/<int:pk>/seats/accept/",
        meeting_seats.MeetingSeatsAcceptView.as_view(),
        name="api-meeting-seats-accept",
    ),
    path("reviews/<int:pk>/revisions/", revisions.ReviewRevisionView.as_view(), name="api-revision-request"),
    path(
        "reviews/<int:pk>/revisions/sign-off/",
        revisions.RevisionSignOffView.as_view(),
        name="api-revision-sign-off",
    ),
    path(
        "reviews/<int:pk>/revisions/report/", revisions.RevisedReportView.as_view(), name="api-revised-report"
    ),
]

from django.db.models import Count, QuerySet

from qingshen.accounts import scoping

from .models import Programme


def programme_list(*, user) -> QuerySet[Programme]:
    return (
        scoping.programmes_visible(user)
        .select_related("city")
        .annotate(listing_count=Count("listings", distinct=True), case_count=Count("cases", distinct=True))
        .order_by("-year", "city__name")
    )


def programme_get(*, user, pk: int) -> Programme | None:
    return scoping.programmes_visible(user).select_related("city", "published_by").filter(pk=pk).first()


def listings_of(*, user, programme: Programme):
    """The listings of a programme the user may see: a district sees its own enterprises only."""
    qs = programme.listings.select_related("enterprise__jurisdiction", "enterprise__industry")
    return qs.filter(enterprise__in=scoping.enterprises_visible(user).values("pk")).order_by(
        "enterprise__jurisdiction__path", "enterprise__name"
    )

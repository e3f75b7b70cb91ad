from django.db.models import Q, QuerySet

from qingshen.registry import scoping
from qingshen.registry.models import Enterprise
from qingshen.registry.search_keys import pinyin_match


def enterprise_list(*, user, q: str = "") -> QuerySet[Enterprise]:
    qs = scoping.enterprises_visible(user).select_related("jurisdiction", "industry")
    if q:
        match = Q(name__icontains=q) | Q(uscc__icontains=q.upper()) | Q(former_names__name__icontains=q)
        pinyin = pinyin_match(q)
        qs = qs.filter(match | pinyin if pinyin is not None else match).distinct()
    return qs.order_by("name", "pk")


def enterprise_get(*, user, pk: int) -> Enterprise | None:
    return scoping.enterprises_visible(user).select_related("jurisdiction", "industry").filter(pk=pk).first()

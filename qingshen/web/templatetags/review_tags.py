from django import template

from qingshen.cases import scoping as cases_scoping
from qingshen.cases.lifecycle import ReviewStep, review_action, transition_get
from qingshen.reviews import scoping
from qingshen.reviews.models import ReviewKind

register = template.Library()


@register.filter
def exclusion_label(rule: str) -> str:
    """An exclusion rule (回避) of a draw record in words, not its code."""
    from qingshen.reviews.selectors import Exclusion

    return str(Exclusion.label(rule))


@register.inclusion_tag("reviews/_case_reviews.html", takes_context=True)
def case_reviews(context, case):
    """The case's applications and, for the enterprise or its agency, where to apply now."""
    user = context["request"].user
    reviews = scoping.reviews_visible(user).filter(case=case).order_by("-applied_on", "-pk")
    may_apply = cases_scoping.may_apply_for_review(user, case)
    kinds = [
        k
        for k in ReviewKind
        if may_apply and case.state in transition_get(review_action(k, ReviewStep.APPLY)).sources
    ]
    return {"case": case, "reviews": reviews, "apply_kinds": kinds}

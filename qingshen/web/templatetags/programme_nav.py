"""The list pages' navigation asks scoping which links this user gets (no role checks in templates)."""

from django import template

from qingshen.programmes import scoping
from qingshen.reports import scoping as reports_scoping

register = template.Library()


@register.simple_tag(takes_context=True)
def list_nav(context, programme):
    """Which of a programme's pages to link. Each answer is computed only if the template asks for it
    (Django calls callables when it resolves them); scoping asks the database at most once per page
    whether the programme is in the user's subtree."""
    user = context["user"]
    return {
        "merge": lambda: scoping.may_manage_programme(user, programme),
        "own_proposal": lambda: scoping.own_proposal_district(user, programme),
        "confirm": lambda: scoping.may_see_confirmation(user, programme),
        "workflow": lambda: scoping.may_see_list_workflow(user, programme),
        "summary": lambda: reports_scoping.may_see_summary(user, programme),
        "import": lambda: scoping.may_import_list(user, programme),
        "export": lambda: scoping.may_export_list(user, programme),
    }

"""Labels of the actions this package writes to the operation log (registered with trail when the app is ready)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "programme.import.interrupted": _("List import interrupted and put back"),
    "programme.create": _("Programme created"),
    "programme.update": _("Programme edited"),
    "programme.milestone.add": _("Milestone added"),
    "programme.milestone.update": _("Milestone edited"),
    "programme.milestone.remove": _("Milestone removed"),
    "programme.progress.file": _("Progress return filed"),
    "programme.listing.add": _("Enterprise added to the list"),
    "programme.publish": _("List published"),
    "export.annual_list": _("Annual list downloaded"),
    "export.carry_over_list": _("Carry-over list downloaded"),
    "export.case_list": _("Case list downloaded"),
    "export.plan_list": _("Plan list downloaded"),
    "programme.amend.add": _("Enterprise added by amendment"),
    "programme.amend.remove": _("Enterprise removed by amendment"),
    "programme.confirm": _("List confirmed by the province"),
    "programme.import.upload": _("List import uploaded"),
    "programme.import.commit": _("List import committed"),
    "programme.letters": _("Notification letters generated"),
    "programme.listing.relist": _("Enterprise listed again"),
    "programme.listing.remove": _("Enterprise removed from the list"),
    "programme.plan.add": _("Enterprise added to the plan list"),
    "programme.proposal.submit": _("District proposal submitted"),
    "programme.proposal.return": _("District proposal returned"),
    "programme.submit": _("List submitted to the province"),
    "programme.return": _("List returned by the province"),
}

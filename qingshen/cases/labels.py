"""Labels of the actions this package writes to the operation log (registered with trail when the app is ready)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "case.create": _("Case opened on publication of the list"),
    "case.voluntary.register": _("Voluntary audit registered"),
    "case.voluntary.acknowledge": _("Voluntary audit registration acknowledged"),
    "case.import.historical": _("Case imported from an earlier year's records"),
    "case.delegation.create": _("Case delegated to an agency"),
    "case.delegation.revoke": _("Delegation revoked"),
    "document.upload": _("Document uploaded"),
    "document.download": _("Document downloaded"),
    "baseline.save": _("Baseline saved"),
    "case.deadlines.recompute": _("Deadlines recomputed"),
    "case.deadlines.recompute.bulk": _("Deadlines of the open cases recomputed together, for one duty"),
    "case.deadlines.sweep": _("Deadline sweep run"),
    "case.deadlines.milestone": _("Programme date set as a deadline of its cases"),
    "cases.rollups.rebuild": _("Option and benefit totals rebuilt"),
    "cases.counts.rebuild": _("Case counts of the dashboard and the summary table rebuilt"),
    "disclosure.save": _("Disclosure draft saved"),
    "disclosure.submit": _("Disclosure submitted"),
    "document.lock": _("Document locked for a review"),
    "option.save": _("Option saved"),
    "annual_disclosure.save": _("Annual disclosure draft saved"),
    "annual_disclosure.submit": _("Annual disclosure submitted"),
    "library.naming.set": _("Naming in the technology library changed"),
    "library.export": _("Technology library downloaded"),
    "case.permit.record": _("Permit findings of the audit recorded"),
    "case.focus.save": _("Audit focus saved"),
    "target.save": _("Cleaner production target saved"),
    "target.withdraw": _("Cleaner production target withdrawn"),
    "target.actual": _("Actual value of a target entered"),
    "group.create": _("Group audit created"),
    "group.member.add": _("Member added to a group audit"),
    "group.member.remove": _("Member removed from a group audit"),
    "group.members.counted": _("Group audit passed: its members counted as audited"),
}


def transition_label(action: str) -> str | None:
    """A case step logs as case.transition.<name>: its label is the transition's."""
    from qingshen.cases.lifecycle import transition_get

    transition = transition_get(action.removeprefix("case.transition."))
    return str(transition.label) if transition is not None else None

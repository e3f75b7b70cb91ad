"""Human labels for logged action strings. Unknown actions show as their dotted string."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "auth.login": _("Logged in"),
    "auth.logout": _("Logged out"),
    "auth.login_failed": _("Failed login"),
    "auth.lockout": _("Account or address locked"),
    "auth.session_timeout": _("Session timed out"),
    "account.create": _("Account created"),
    "account.password.change": _("Password changed"),
    "account.sessions.end": _("Sessions ended"),
    "account.session.end": _("Session ended by its user"),
    "account.role.grant": _("Role granted"),
    "account.unlock": _("Account unlocked"),
    "account.otp.enrol": _("Second factor enrolled"),
    "account.otp.reset": _("Second factor reset"),
    "security.parameter.set": _("Security parameter changed"),
    "log.verify": _("Log chain verified"),
    "log.export": _("Log exported"),
    "log.prune": _("Old log rows archived and removed"),
    "log.checkpoint": _("Log checkpoint sealed"),
    "system.backup": _("Backup written"),
    "system.restore": _("Backup restored"),
    "case.create": _("Case opened on publication of the list"),
    "case.delegation.create": _("Case delegated to an agency"),
    "case.delegation.revoke": _("Delegation revoked"),
    "document.upload": _("Document uploaded"),
    "document.download": _("Document downloaded"),
    "enterprise.create": _("Enterprise registered"),
    "enterprise.update": _("Enterprise changed"),
    "programme.create": _("Programme created"),
    "programme.milestone.add": _("Milestone added"),
    "programme.listing.add": _("Enterprise added to the list"),
    "programme.publish": _("List published"),
}


def action_label(action: str) -> str:
    if action.startswith("case.transition."):
        from qingshen.cases.lifecycle import transition_get

        transition = transition_get(action.removeprefix("case.transition."))
        if transition is not None:
            return str(transition.label)
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action

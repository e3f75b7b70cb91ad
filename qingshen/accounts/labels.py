"""Labels of the actions this package writes to the operation log (registered with trail when the app is ready)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
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
    "account.invitation.issue": _("Invitation issued"),
    "account.invitation.accept": _("Invitation accepted"),
    "api.token.create": _("API token created"),
    "api.token.revoke": _("API token revoked"),
    "api.token.use": _("API token used"),
    "api.token.refused": _("API token refused"),
}

"""Labels of the actions this package writes to the operation log (registered with trail when the app is ready)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "enterprise.create": _("Enterprise registered"),
    "enterprise.update": _("Enterprise changed"),
    "enterprise.permit_number": _("Enterprise permit number set from its permit in force"),
    "agency.staff.add": _("Agency staff member added"),
    "enterprise.notify": _("Enterprise notified"),
    "public.search_keys.rebuild": _("Pinyin search keys rebuilt"),
    "bureau.settings.set": _("Bureau settings changed"),
    "permit.create": _("Discharge permit recorded"),
    "permit.update": _("Discharge permit changed"),
}

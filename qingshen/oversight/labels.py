"""Labels of the actions this package writes to the operation log (registered with trail when the app is ready)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "oversight.accountability.open": _("Accountability case opened"),
    "oversight.accountability.detect": _("Accountability case detected"),
    "oversight.accountability.close": _("Accountability case closed"),
    "oversight.penalty.order": _("Ordered to correct"),
    "oversight.penalty.propose": _("Order to correct proposed to the city"),
    "oversight.penalty.confirm": _("Proposed order confirmed by the city"),
    "oversight.penalty.return": _("Proposed order returned to the district"),
    "oversight.penalty.resubmit": _("Returned proposal corrected and sent to the city again"),
    "oversight.penalty.correct": _("Correction recorded"),
    "oversight.penalty.impose": _("Penalty imposed"),
    "oversight.spotcheck.draw": _("Spot check drawn"),
    "oversight.spotcheck.finding": _("Spot check finding recorded"),
    "oversight.spotcheck.conclude": _("Spot check concluded"),
    "oversight.warnings.record": _("Early warnings recorded"),
    "oversight.permit_warnings.record": _("Discharge permit warnings recorded"),
    "oversight.warnings.notify": _("Warning notices sent"),
    "oversight.annual_warnings.record": _("Late annual disclosure warnings recorded"),
    "oversight.case_warnings.notify": _("Permit and annual disclosure warning notices sent"),
    # Written by procedures.versions (a floor below, without labels of its own).
    "procedure.version.add": _("Procedure edition published"),
    "procedure.version.apply": _("Procedure edition put in effect"),
}

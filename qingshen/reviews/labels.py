"""Labels of the actions this package writes to the operation log (registered with trail when the app is ready)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "expert.active": _("Expert activated or deactivated"),
    "expert.create": _("Expert added to the pool"),
    "expert.conflict.pin": _("Expert conflict of interest recorded"),
    "expert.import": _("Experts imported"),
    "panel.draw": _("Expert panel drawn"),
    "panel.redraw": _("Panel seat redrawn"),
    "panel.verify": _("Panel draw verified"),
    "panel.seat.accept": _("Panel seat accepted"),
    "panel.seat.decline": _("Panel seat declined"),
    "panel.score.submit": _("Expert score sheet submitted"),
    "review.acceptance_limit.propose": _("Acceptance time limit set by the evaluation opinion"),
    "review.acceptance_limit.set": _("Acceptance time limit changed by the organiser"),
    "review.apply": _("Review applied for"),
    "review.check": _("Application checked"),
    "review.checklist.add": _("Checklist item added"),
    "review.checklist.update": _("Checklist item changed"),
    "review.confirm": _("Review conclusion confirmed"),
    "review.cosign": _("Review co-signed by the energy-saving authority"),
    "review.expert.rate": _("Expert's work on a review rated"),
    "review.conflict.dismiss": _("Conflict of interest set aside"),
    "review.result": _("Panel result computed"),
    "review.rubric.version": _("Scoring rubric version added"),
}

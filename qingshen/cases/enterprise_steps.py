"""What the enterprise does next, and which documents that step needs.

Only the enterprise-side steps; the evaluation and acceptance application checklists belong to the
reviews (per review kind). Data, read by the enterprise's home page.
"""

from django.utils.translation import gettext_lazy as _

from qingshen.cases.models import Document
from qingshen.cases.states import State

K = Document.Kind

# The enterprise's next step in each state: (action, what to do, the documents it needs).
ENTERPRISE_NEXT_STEP = {
    State.LISTED: (
        "disclose",
        _("Publish your enterprise information and fill in the disclosure form"),
        [K.DISCLOSURE_PROOF],
    ),
    State.DISCLOSED: ("start_audit", _("Start the cleaner production audit"), [K.CAPACITY_PROOF]),
    State.AUDITING: (
        "submit_report",
        _("Finish the audit and submit the audit report"),
        [K.AUDIT_REPORT, K.TECHNICAL_EVIDENCE, K.CAPACITY_PROOF],
    ),
    State.REPORT_SUBMITTED: (
        "apply_evaluation",
        _("Apply for the evaluation"),
        [K.AUDIT_REPORT, K.TECHNICAL_EVIDENCE, K.CAPACITY_PROOF, K.APPLICATION],
    ),
    State.IMPLEMENTING: (
        "apply_acceptance",
        _("Implement the mid/high-cost options and apply for acceptance"),
        [K.IMPLEMENTATION_EVIDENCE, K.MONITORING_REPORT, K.ACCEPTANCE_REPORT, K.APPLICATION, K.PHOTO],
    ),
}
WAITING_MESSAGE = {
    State.EVALUATION_APPLIED: _("The bureau is checking your evaluation application."),
    State.EVALUATING: _("The expert evaluation is being organised."),
    State.ACCEPTANCE_APPLIED: _("The bureau is checking your acceptance application."),
    State.ACCEPTING: _("The expert acceptance is being organised."),
    State.ACCEPTED: _("Accepted; the result will be published."),
    State.PUBLISHED: _("The audit is complete and its result published."),
    State.WITHDRAWN: _("The case was withdrawn."),
    State.COUNTED_BY_GROUP: _("The case is counted as done by the group audit it belongs to."),
}

"""The models of the cases app, one module per record (Django finds them through this package)."""

from qingshen.cases.models.case import AuditCase, HardDeleteRefused
from qingshen.cases.models.deadlines import CaseDeadline
from qingshen.cases.models.delegations import Delegation
from qingshen.cases.models.disclosures import Disclosure
from qingshen.cases.models.documents import Document, DocumentImmutable, document_upload_to
from qingshen.cases.models.groups import GroupAudit, GroupMember
from qingshen.cases.models.options import Baseline, Benefit, Indicator, Option
from qingshen.cases.models.rollups import BenefitRollup, OptionRollup, RollupCell

__all__ = [
    "AuditCase",
    "Baseline",
    "Benefit",
    "BenefitRollup",
    "CaseDeadline",
    "Delegation",
    "Disclosure",
    "Document",
    "DocumentImmutable",
    "GroupAudit",
    "GroupMember",
    "HardDeleteRefused",
    "Indicator",
    "Option",
    "OptionRollup",
    "RollupCell",
    "document_upload_to",
]

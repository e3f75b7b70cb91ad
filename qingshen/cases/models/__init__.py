"""The models of the cases app, one module per record (Django finds them through this package)."""

from qingshen.cases.models.annual import AnnualDisclosure, LibraryNaming
from qingshen.cases.models.case import AuditCase, HardDeleteRefused
from qingshen.cases.models.counts import CaseCount
from qingshen.cases.models.deadlines import CaseDeadline
from qingshen.cases.models.delegations import Delegation
from qingshen.cases.models.disclosures import Disclosure
from qingshen.cases.models.documents import Document, DocumentImmutable, document_upload_to
from qingshen.cases.models.groups import GroupAudit, GroupMember
from qingshen.cases.models.options import Baseline, Benefit, Indicator, Option
from qingshen.cases.models.permits import CasePermitRecord
from qingshen.cases.models.rollups import BenefitRollup, OptionRollup, RollupCell
from qingshen.cases.models.targets import Target

__all__ = [
    "AnnualDisclosure",
    "AuditCase",
    "Baseline",
    "Benefit",
    "BenefitRollup",
    "CaseCount",
    "CaseDeadline",
    "CasePermitRecord",
    "Delegation",
    "Disclosure",
    "Document",
    "DocumentImmutable",
    "GroupAudit",
    "GroupMember",
    "HardDeleteRefused",
    "Indicator",
    "LibraryNaming",
    "Option",
    "OptionRollup",
    "RollupCell",
    "Target",
    "document_upload_to",
]

"""The roles of design.md §1. A user holds exactly one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCE = "province", _("Province bureau")
    CITY = "city", _("City bureau")
    DISTRICT = "district", _("District bureau")
    ENTERPRISE = "enterprise", _("Enterprise")
    AGENCY = "agency", _("Consulting agency")
    EXPERT = "expert", _("Expert")
    SUPERVISOR = "supervisor", _("Supervisor")
    AUDITOR = "auditor", _("Audit administrator")
    SECURITY = "security", _("Security administrator")
    SYSADMIN = "sysadmin", _("System administrator")


# Staff of the environment authority, who work on cases of a jurisdiction subtree.
AUTHORITY_ROLES = {Role.PROVINCE, Role.CITY, Role.DISTRICT, Role.SUPERVISOR}
# The three administrators of 等保 三员分立: they see no case data.
ADMIN_ROLES = {Role.AUDITOR, Role.SECURITY, Role.SYSADMIN}
# Roles that need a jurisdiction to have any scope at all.
JURISDICTION_ROLES = AUTHORITY_ROLES


class Authority(models.TextChoices):
    """Which department a bureau account belongs to (domain.md §1, §8): the ecological-environment bureau,
    or the energy-saving authority (节能主管部门: 发改委 / 经信委), which leads the energy-only cases (办法
    Art. 20). Both hold the same roles over the same jurisdictions; the authority says which cases are
    theirs to act on (cases.scoping.leads_case). The values are programmes.LeadAuthority's."""

    ENVIRONMENT = "environment", _("Ecological environment department")
    ENERGY = "energy", _("Energy-saving department")

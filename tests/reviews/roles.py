"""Every role the review pages are tried with: each page answers its own roles and 404 to the rest."""

ROLES = [
    "province",
    "city",
    "district",
    "district_south",
    "supervisor",
    "enterprise",
    "enterprise_south",
    "agency",
    "expert",
    "auditor",
    "security",
    "sysadmin",
]

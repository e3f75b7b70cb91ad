"""Where the seeding migrations find the rule and procedure models.

The models lived in oversight until they moved here (state only, same tables): a migration sees them under
oversight, the live registry (tests put seed rows back through the same functions) under procedures.
"""


def model(apps, name: str):
    try:
        return apps.get_model("oversight", name)
    except LookupError:
        return apps.get_model("procedures", name)

"""Earlier years' rounds imported from a bureau's spreadsheets: the template's columns
(`columns`), the row check with its date contradictions (`check`), the background check with the
enterprises the registry names otherwise (`validate`), the upload and the queued write (`batches`), the
all-or-nothing, set-based write with the chosen renames (`commit`) and, afterwards, the portal
invitations of the open cases' enterprises (`invitations`)."""

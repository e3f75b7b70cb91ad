"""Earlier years' rounds imported from a bureau's spreadsheets (issue 16): the template's columns
(`columns`), the row check with its date contradictions (`check`), the background check (`validate`),
the upload and the queued write (`batches`) and the all-or-nothing, set-based write (`commit`)."""

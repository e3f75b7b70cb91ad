"""Discharge permits imported from the permit system's export: the columns and the row check
(`columns`), the background check (`validate`), the upload and queued write (`batches`) and the
all-or-nothing write (`commit`). The shape is the history import's (programmes.history)."""

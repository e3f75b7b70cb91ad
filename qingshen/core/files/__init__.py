"""File handling shared by every package: spreadsheet reading and its guards."""

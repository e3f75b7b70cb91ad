"""qingshen (清审): the mandatory cleaner production audit programme, end to end."""

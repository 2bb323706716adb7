"""Date and number formats of the desk (``FORMAT_MODULE_PATH``): dd/mm/yyyy in every language."""

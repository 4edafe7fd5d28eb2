"""Reads of this part; public reads apply the confidentiality rules here."""

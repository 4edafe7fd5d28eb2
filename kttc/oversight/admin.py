"""Operator screens of this part in the Django admin."""

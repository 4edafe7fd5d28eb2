"""Statuses and kinds of this part, as TextChoices."""

"""The registry's seam for those who follow achievements (the catalog's search index): sent after
the transaction that changed an achievement has committed."""

from django.dispatch import Signal

#: Sent with ``achievement_ids`` (a list) after they were created, changed, published or
#: withdrawn.
achievements_changed = Signal()

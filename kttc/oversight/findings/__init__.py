"""Inspection, audit and supervision findings shared between the supervising departments
(M14.2)."""

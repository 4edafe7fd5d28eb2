"""Part 4, organisation: reports, joint meetings, due-diligence evidence (M13-M14)."""

"""Writes of this part: ``<thing>_<verb>`` functions, keyword-only, one transaction each,
recording their decisions through ``kttc.core.services.audit_record``."""

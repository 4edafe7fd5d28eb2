"""English (see ``kttc.core.formats``)."""

from kttc.core.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","

__all__ = ["DATETIME_INPUT_FORMATS", "DATE_INPUT_FORMATS"]

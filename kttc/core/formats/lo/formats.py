"""Lao: numeric dates, as CLDR's short pattern (Django has no Lao month names); see
``kttc.core.formats``."""

from kttc.core.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
DATE_FORMAT = "j/n/Y"
SHORT_DATE_FORMAT = "j/n/Y"
DATETIME_FORMAT = "j/n/Y, H:i"
SHORT_DATETIME_FORMAT = "j/n/Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "n/Y"
MONTH_DAY_FORMAT = "j/n"
FIRST_DAY_OF_WEEK = 0

__all__ = ["DATETIME_INPUT_FORMATS", "DATE_INPUT_FORMATS"]

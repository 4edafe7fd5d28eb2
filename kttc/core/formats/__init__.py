"""The platform's format modules (``FORMAT_MODULE_PATH``), read by Django before its own for each
language. They make sure of two things in every language:

* a date input (``type=date``) is filled and read as ISO 8601 (``2026-12-05``): the browser
  shows it in the reader's way itself. Django's Chinese and Thai formats put ``2026/12/05`` and
  ``05/12/2026`` first, which a date input shows as empty;
* the separators of numbers are CLDR's (as Babel formats amounts), and Lao and Burmese, for
  which Django has no formats, get numeric dates rather than English month names.

Pages show dates through Babel (``kttc.core.dates``); these formats serve what Django renders
itself (the admin, a date printed without a filter)."""

#: ISO first, then what a person may type in a text input in any language.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",  # a datetime-local input
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]

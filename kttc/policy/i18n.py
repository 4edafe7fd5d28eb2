"""Marking user-facing text in the pure policy layer.

The policy layer cannot import Django's translation machinery, yet its error messages reach users
in Chinese and English. ``gettext_noop`` marks a message template for extraction by
``makemessages`` (xgettext knows the name); the web and API layers translate the template and fill
in the parameters.
"""


def gettext_noop(message: str) -> str:
    """Return ``message`` unchanged; its only purpose is to mark it for translation."""
    return message

"""Text that people type: which characters it may hold.

Names and texts end up in web pages, the RSS feed, the xlsx and csv exports and the database.
Control characters break some of them for everyone once one such text is published: XML (RSS,
xlsx) has no way to write NUL, ESC or most other C0 controls, PostgreSQL refuses NUL, and a lone
surrogate cannot be encoded at all. Bidirectional overrides and isolates make a name read
differently from what it is (a file name or a licensee that shows reversed). So every text is
refused at validation if it holds one; a text of several lines may keep its tabs and line breaks.
"""

from __future__ import annotations

import re

from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop

#: Characters that are not control characters in Unicode's general category yet make a text
#: read differently from what it holds: bidirectional embeddings, overrides and isolates (the
#: plain marks LRM, RLM and ALM stay: Arabic text needs them), the byte order mark / zero width
#: no-break space, line and paragraph separators (they break scripts and feed readers) and the
#: two noncharacters XML cannot hold.
INVISIBLE = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
    "\u2028\u2029"  # line and paragraph separators
    "\ufeff\ufffe\uffff"  # BOM / ZWNBSP, noncharacters
)

_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 but tab, LF, CR; DEL; C1
_SURROGATES = "\ud800-\udfff"  # half a character: it cannot be encoded at all
_IN_LINES = re.compile(f"[{_CONTROLS}{_SURROGATES}{''.join(sorted(INVISIBLE))}]")
_IN_A_LINE = re.compile(f"[\t\n\r{_CONTROLS}{_SURROGATES}{''.join(sorted(INVISIBLE))}]")


def forbidden_character(text: str, *, multiline: bool = False) -> tuple[int, str] | None:
    """The position and the character of the first character ``text`` may not hold, or None:
    C0 and C1 controls and DEL (tab, line feed and carriage return allowed where ``multiline``),
    surrogates, and the characters of :data:`INVISIBLE`."""
    found = (_IN_LINES if multiline else _IN_A_LINE).search(text)
    return None if found is None else (found.start(), found.group())


def check_text(text: str, *, field: str, multiline: bool = False) -> str:
    """Return ``text`` if it holds no forbidden character; raise :class:`PolicyError` naming the
    field, the character (as U+XXXX) and its position otherwise."""
    found = forbidden_character(text, multiline=multiline)
    if found is None:
        return text
    position, char = found
    raise PolicyError(
        gettext_noop(
            "This text holds an invisible control character (%(character)s) at position "
            "%(position)s; remove it."
        ),
        code="text.control_character",
        field=field,
        params={"character": f"U+{ord(char):04X}", "position": position + 1},
    )


def printable(text: str) -> str:
    """``text`` without the characters a text of several lines may not hold: what a page, a
    feed or an export shows of a text stored before they were refused."""
    return _IN_LINES.sub("", text)


__all__ = ["INVISIBLE", "check_text", "forbidden_character", "printable"]

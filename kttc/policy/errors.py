"""Errors raised by policy rules, carrying the clause they enforce.

A rule that refuses something raises :class:`PolicyError` with a message *template* (English,
``%(name)s`` placeholders, marked with ``gettext_noop``), the parameters to fill it with, the field
at fault and the obligation ids at stake. The interfaces translate the template, so the same
refusal reads "M1.5: …" in English and Chinese alike.
"""

from __future__ import annotations

from collections.abc import Mapping


class PolicyError(ValueError):
    """A request that a rule of the measures (or a national convention) refuses."""

    def __init__(
        self,
        template: str,
        *,
        code: str,
        field: str | None = None,
        clauses: tuple[str, ...] = (),
        params: Mapping[str, object] | None = None,
    ) -> None:
        self.template = template
        self.code = code
        self.field = field
        self.clauses = clauses
        self.params: dict[str, object] = dict(params or {})
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The English message with its parameters filled in."""
        text = self.template % self.params if self.params else self.template
        if self.clauses and not text.startswith(self.clauses[0]):
            return f"{', '.join(self.clauses)}: {text}"
        return text


class IdentifierError(PolicyError):
    """A national code (credit code, patent number, classification code) that does not check."""


def refuse(
    template: str, code: str, field: str | None, clauses: tuple[str, ...] = (), **params: object
) -> PolicyError:
    """The one way a rule or a service words a refusal: ``raise refuse(gettext_noop("…
    %(amount)s …"), "licence.amount", "amount", clauses, amount=money)``, ``clauses`` being
    the obligation ids the rule carries."""
    return PolicyError(template, code=code, field=field, clauses=clauses, params=params)

"""What waits in technology finance (see ``kttc.core.todos``, M12.1, M12.3): for a bank, the
applications waiting for its decision, the repayments overdue and those due within 30 days; for
an enterprise, its own repayments overdue."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.center.finance import selectors
from kttc.center.finance.models import FinanceApplication, Instalment
from kttc.core.models import Membership
from kttc.core.todos import TodoSection, section
from kttc.policy.roles import Capability, Role, role_can

CLAUSES = ("M12.1", "M12.3")


def _application(a: FinanceApplication) -> tuple[str, str]:
    return f"{a.applicant.name} · {a.product.title}", reverse("finance:application", args=[a.pk])


def _instalment(i: Instalment) -> tuple[str, str]:
    application = i.application
    title = f"{application.applicant.name} · {application.product.title} · #{i.number}"
    return title, reverse("finance:application", args=[application.pk])


def sections(membership: Membership, *, limit: int) -> list[TodoSection]:
    role = Role(membership.role)
    organisation = membership.organisation
    out = []
    today = selectors.today()
    if role_can(role, Capability.MANAGE_FINANCE):
        home = reverse("finance:bank")
        out += [
            section(
                _("Finance applications waiting for the bank"), CLAUSES,
                selectors.waiting_for(organisation), limit=limit, more_link=home,
                describe=_application, since="filed_on",
            ),
            section(
                _("Loan repayments overdue"), ("M12.1",),
                selectors.overdue_instalments(today, organisation), limit=limit,
                more_link=home, describe=_instalment, since="due_on",
            ),
            section(
                _("Loan repayments due within 30 days"), ("M12.1",),
                selectors.due_instalments(organisation, today), limit=limit, more_link=home,
                describe=_instalment, since="due_on",
            ),
        ]  # fmt: skip
    if role_can(role, Capability.APPLY_FINANCE):
        out.append(
            section(
                _("Our loan repayments overdue"), ("M12.1",),
                selectors.overdue_for(organisation, today), limit=limit,
                more_link=reverse("finance:mine"), describe=_instalment, since="due_on",
            )
        )  # fmt: skip
    return out

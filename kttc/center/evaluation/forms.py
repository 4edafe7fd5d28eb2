"""Forms of evaluation (M10.1): the request, the institution's acceptance (naming its
evaluator) or refusal, the evaluator's declaration of interests and scoring (one section per
dimension, the rubric's bands beside it), and the unit's consent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kttc.center.evaluation import services
from kttc.center.evaluation.models import Evaluation
from kttc.core.models import Organisation, User
from kttc.core.text import TextGuardMixin
from kttc.policy import evaluation as rules
from kttc.registry.models import Achievement

TEXT = forms.Textarea(attrs={"rows": 3})


class RequestForm(TextGuardMixin, forms.Form):
    requester = forms.ModelChoiceField(
        label=_("Requested by"), queryset=Organisation.objects.none()
    )
    #: A number, not a list: the public results are many (a link from a result's page fills it).
    result = forms.ModelChoiceField(
        label=_("Result number"),
        queryset=Achievement.objects.none(),
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        help_text=_("Your unit's own result, or a public one: its number on the platform."),
        error_messages={"invalid_choice": _("No such result that you may ask to evaluate.")},
    )
    institution = forms.ModelChoiceField(
        label=_("Evaluation institution"),
        queryset=Organisation.objects.none(),
        help_text=_("Service institutions whose certification is in force (M9.1)."),
    )
    purpose = forms.CharField(
        label=_("Purpose"), max_length=rules.MAX_TEXT, widget=TEXT,
        help_text=_("Why the evaluation is asked for: a licence, an investment, a pledge loan…"),
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        requesters: QuerySet[Organisation],
        results: QuerySet[Achievement],
        institutions: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["requester"].queryset = requesters
        fields["result"].queryset = results
        fields["institution"].queryset = institutions
        if requesters.count() == 1:
            fields["requester"].initial = requesters.first()


class AcceptForm(forms.Form):
    evaluator = forms.ModelChoiceField(label=_("Evaluator"), queryset=User.objects.none())

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["evaluator"]
        field.queryset = people
        field.label_from_instance = lambda user: user.full_name or user.email


class ReasonForm(TextGuardMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=rules.MAX_TEXT, widget=TEXT)


class DeclareForm(TextGuardMixin, forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Conflict of interest"),
        choices=(
            ("0", _("I declare no conflict of interest")),
            ("1", _("I declare the interest described below")),
        ),
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    interest = forms.CharField(
        label=_("The interest"), max_length=rules.MAX_TEXT, widget=TEXT, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("conflict") and not (data.get("interest") or "").strip():
            self.add_error("interest", _("Describe the interest you declare."))
        if data.get("conflict") is False:
            data["interest"] = ""
        return data


class ScoreForm(TextGuardMixin, forms.Form):
    """One section per dimension: its score (readiness from its level) and its evidence."""

    trl = forms.TypedChoiceField(
        label=_("Readiness level (GB/T 22900)"),
        choices=[(str(level), str(level)) for level in rules.TRL_SCORES],
        coerce=int,
    )
    ip_claims = forms.IntegerField(label=_("Claims"), min_value=0, max_value=10000, initial=0)
    ip_family = forms.IntegerField(label=_("Patent family size"), min_value=0, max_value=1000,
                                   initial=0)  # fmt: skip
    ip_remaining_years = forms.IntegerField(
        label=_("Remaining term (years)"), min_value=0, max_value=30, initial=0
    )
    ip_legal_status = forms.CharField(label=_("Legal status"), max_length=200, required=False)
    market_size = forms.CharField(label=_("Market size"), max_length=300, required=False)
    market_competitors = forms.CharField(
        label=_("Competitors"), max_length=1000, required=False, widget=TEXT
    )
    market_route = forms.CharField(
        label=_("Route to market"), max_length=1000, required=False, widget=TEXT
    )
    summary = forms.CharField(label=_("Conclusion"), max_length=rules.MAX_TEXT, required=False,
                              widget=TEXT)  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for d in rules.Dimension:
            if d is not rules.Dimension.READINESS:
                self.fields[f"score_{d.value}"] = forms.IntegerField(
                    label=_("Score (0–100)"), min_value=0, max_value=rules.MAX_SCORE
                )
            self.fields[f"evidence_{d.value}"] = forms.CharField(
                label=_("Evidence"), max_length=rules.MAX_TEXT, widget=TEXT
            )

    @classmethod
    def initial_of(cls, evaluation: Evaluation) -> dict[str, Any]:
        initial: dict[str, Any] = {"trl": evaluation.trl or evaluation.result.trl,
                                   "summary": evaluation.summary}  # fmt: skip
        for s in evaluation.scores.all():
            initial[f"score_{s.dimension}"] = s.score
            initial[f"evidence_{s.dimension}"] = s.evidence
            for key, value in (s.details or {}).items():
                if s.dimension in ("ip", "market"):
                    initial[f"{s.dimension}_{key}"] = value
        return initial

    def scores(self) -> services.Scores:
        data = self.cleaned_data
        dims = [d for d in rules.Dimension if d is not rules.Dimension.READINESS]
        return services.Scores(
            trl=data["trl"],
            scores={d.value: data[f"score_{d.value}"] for d in dims},
            evidence={d.value: data[f"evidence_{d.value}"] for d in rules.Dimension},
            ip_claims=data["ip_claims"], ip_family=data["ip_family"],
            ip_remaining_years=data["ip_remaining_years"],
            ip_legal_status=data["ip_legal_status"], market_size=data["market_size"],
            market_competitors=data["market_competitors"], market_route=data["market_route"],
            summary=data["summary"],
        )  # fmt: skip

    def section(self, dimension: str) -> list[forms.BoundField]:
        """The fields of one dimension's section, in order."""
        names = {
            "readiness": ["trl"],
            "ip": ["ip_claims", "ip_family", "ip_remaining_years", "ip_legal_status"],
            "market": ["market_size", "market_competitors", "market_route"],
        }.get(dimension, [])
        if dimension != "readiness":
            names = [f"score_{dimension}", *names]
        return [self[name] for name in [*names, f"evidence_{dimension}"]]

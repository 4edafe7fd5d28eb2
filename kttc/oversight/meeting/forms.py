"""Forms of the joint meeting (M13.1, M13.2): a difficulty raised with its evidence, a session
convened with its agenda and attendees, its minutes, a decision broken into tasks (a row editor:
owner, deliverable, deadline per line), a task closed with its evidence or reopened, and the
bureau's conclusion on a difficulty."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.core.documents import MAX_DOCUMENT_BYTES
from kttc.core.rows import ChoiceCell, Column, RowsField
from kttc.core.services import Document
from kttc.core.text import TextGuardMixin
from kttc.oversight.meeting import services
from kttc.oversight.meeting.choices import DifficultyCategory, owner_choices
from kttc.policy import meeting as rules

DATE = forms.DateInput(attrs={"type": "date"})
#: The documents one form takes (each its own input, so that each has its label).
DOCUMENT_INPUTS = 3
#: What a form field's upload may weigh (the service keeps the same bound).
MAX_MB = MAX_DOCUMENT_BYTES // 2**20


class BoundedFileField(forms.FileField):
    """A document of at most :data:`MAX_MB` MB, refused beside its field (M14.1)."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload and upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(
                _("A document can be at most %(mb)s MB."), params={"mb": MAX_MB}
            )
        return upload


class DocumentsMixin:
    """Up to :data:`DOCUMENT_INPUTS` documents, each with its own labelled input."""

    document_help = _("PDF, image or office document, at most %(mb)s MB each.")

    def add_documents(self, label: Any, *, required: bool = False) -> None:
        fields = cast(forms.Form, self).fields
        for index in range(1, DOCUMENT_INPUTS + 1):
            fields[f"document_{index}"] = BoundedFileField(
                label=f"{label} {index}",
                required=required and index == 1,
                help_text=self.document_help % {"mb": MAX_MB} if index == 1 else "",
            )

    def attachments(self) -> list[services.Attachment]:
        data = cast(forms.Form, self).cleaned_data
        found = []
        for index in range(1, DOCUMENT_INPUTS + 1):
            upload = data.get(f"document_{index}")
            if upload:
                found.append(services.Attachment(upload.name, Document(upload.name, upload.read())))
        return found


class RaiseForm(DocumentsMixin, TextGuardMixin, forms.Form):
    organisation = forms.ChoiceField(label=_("Raised by"))
    title = forms.CharField(label=_("Title"), max_length=rules.TITLE_MAX)
    category = forms.ChoiceField(label=_("Field"), choices=DifficultyCategory.choices)
    description = forms.CharField(
        label=_("Description"), max_length=rules.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What blocks the transformation, since when, who is concerned, and what you "
                    "propose."),
    )  # fmt: skip

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [
            (str(o.pk), o.name) for o in organisations
        ]
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = str(organisations[0].pk)
        self.add_documents(_("Evidence"))


class ConveneForm(TextGuardMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    title = forms.CharField(label=_("Title of the session"), max_length=rules.TITLE_MAX)
    place = forms.CharField(label=_("Place"), max_length=rules.TITLE_MAX, required=False)
    agenda = forms.MultipleChoiceField(
        label=_("Agenda: the difficulties discussed"), widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    attendees = forms.CharField(
        label=_("Attendees"), max_length=rules.ATTENDEES_MAX * (rules.ATTENDEE_MAX + 1),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Departments and people, one a line."),
    )  # fmt: skip

    def __init__(self, *args: Any, difficulties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.difficulties = {str(d.pk): d for d in difficulties}
        cast(forms.MultipleChoiceField, self.fields["agenda"]).choices = [
            (key, f"{d.title} · {d.organisation.name}") for key, d in self.difficulties.items()
        ]

    def agenda_difficulties(self) -> list[Any]:
        return [self.difficulties[key] for key in self.cleaned_data["agenda"]]

    def attendee_lines(self) -> list[str]:
        return self.cleaned_data["attendees"].splitlines()


class MinutesForm(TextGuardMixin, forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), max_length=rules.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )


class DecisionForm(TextGuardMixin, forms.Form):
    text = forms.CharField(
        label=_("Decision"), max_length=rules.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tasks"] = RowsField(
            [
                Column("owner", _("Owner"), ChoiceCell(choices=owner_choices(), strict=False)),
                Column(
                    "deliverable",
                    _("Deliverable"),
                    forms.CharField(max_length=rules.DELIVERABLE_MAX),
                    "wide",
                ),
                Column("deadline", _("Deadline"), forms.DateField(widget=DATE), "narrow"),
            ],
            label=_("Tasks"),
            max_rows=services.MAX_TASKS,
            help_text=_(
                "One task a line: the department or county/district that owns it, what it "
                "delivers and by when (M13.2)."
            ),
        )

    def clean_tasks(self) -> list[services.TaskPlan]:
        plans = []
        for number, row in enumerate(self.cleaned_data["tasks"], start=1):
            if not row["owner"] or not row["deliverable"] or row["deadline"] is None:
                raise forms.ValidationError(
                    _("Line %(line)s: give the owner, the deliverable and the deadline."),
                    params={"line": number},
                )
            plans.append(services.TaskPlan(row["owner"], row["deliverable"], row["deadline"]))
        return plans


class TaskCloseForm(DocumentsMixin, TextGuardMixin, forms.Form):
    evidence = forms.CharField(
        label=_("Evidence"), max_length=rules.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the owner delivered, with the document number or link."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_documents(_("Evidence document"))


class ReasonForm(TextGuardMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=rules.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConcludeForm(TextGuardMixin, forms.Form):
    RESOLVED = "resolved"
    NOT_RESOLVED = "not_resolved"

    outcome = forms.ChoiceField(
        label=_("Outcome"), widget=forms.RadioSelect,
        choices=[(RESOLVED, _("Resolved")), (NOT_RESOLVED, _("Not resolved"))],
    )  # fmt: skip
    text = forms.CharField(
        label=_("What resolved it, or why it is not resolved"), max_length=rules.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip

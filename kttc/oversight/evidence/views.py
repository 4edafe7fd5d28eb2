"""Pages of evidence packs (M14.1): a decision's pack summarised, downloaded as a PDF or a zip."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation

from kttc.core import parsing
from kttc.core.models import AuditEntry
from kttc.core.web import acting_user
from kttc.oversight.evidence import selectors, services


def _entry(request: HttpRequest, seq: int) -> AuditEntry:
    """The decision of entry ``seq``, 404 unless the person may draw its pack: its own unit's
    office, the bureau and auditors (M14.1); never another unit."""
    found = selectors.entry_for(acting_user(request), parsing.id_or_404(seq))
    if found is None:
        raise Http404
    return found


@login_required
def pack(request: HttpRequest, seq: int) -> HttpResponse:
    """M14.1: what the pack of a decision holds: the decision, the entries it rests on, the
    clauses checked with their text, the documents, the checkpoint; downloads PDF and zip."""
    entry = _entry(request, seq)
    checkpoint = selectors.covering_checkpoint(entry)
    content = selectors.pack_content(entry, checkpoint)
    return render(
        request,
        "oversight/evidence/pack.html",
        {
            "entry": entry,
            "content": content,
            "checkpoint": checkpoint,
            "others": selectors.decisions_on(entry, acting_user(request)),
        },
    )


def _download(content: bytes, kind: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def pack_zip(request: HttpRequest, seq: int) -> HttpResponse:
    """M14.1: the pack as a zip (entries, checkpoint, policy version, clauses, documents, the
    PDF, VERIFY.md and verify.py); the drawing is recorded in the audit chain."""
    entry = _entry(request, seq)
    drawn = services.pack_draw(
        actor=acting_user(request), entry=entry, language=translation.get_language() or ""
    )
    return _download(drawn.zip, "application/zip", f"evidence-pack-{entry.seq}.zip")


@login_required
def pack_pdf(request: HttpRequest, seq: int) -> HttpResponse:
    """M14.1: the pack's summary as a PDF in the reader's language, naming the zip's SHA-256;
    the drawing is recorded in the audit chain."""
    entry = _entry(request, seq)
    document = services.pack_pdf(
        actor=acting_user(request), entry=entry, language=translation.get_language() or ""
    )
    return _download(document, "application/pdf", f"evidence-pack-{entry.seq}.pdf")


@login_required
def of_object(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    """M14.1: the pack of the decision that made an object (a licence's conclusion), or of the
    first decision of ``?action=`` on it (an application's grant), from the object's page; the
    other decisions on it are listed there."""
    found = selectors.first_entry_of(
        acting_user(request),
        object_type[:80],
        object_id[:64],
        request.GET.get("action", "")[:80],
    )
    if found is None:
        raise Http404
    return redirect("evidence:pack", seq=found.seq)

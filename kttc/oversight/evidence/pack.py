"""The files of an evidence pack (M14.1): the zip (manifest, entries, checkpoint, policy
version, clauses, documents, evidence rows, the PDF, VERIFY.md, verify.py) and the PDF.

Both are drawn from the pack's content only, with no time of drawing: a pack of one decision up
to one checkpoint gives the same bytes each time it is drawn in one language on one installation
(the zip's members carry a fixed date; ReportLab's invariant mode), so that the SHA-256 of the
zip recorded in the chain when it is drawn names the very file handed over."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle

from kttc.core import dates, fonts
from kttc.core.choices import AUDIT_ACTION_LABELS
from kttc.oversight.evidence.selectors import PackContent, checkpoint_row, pack_entry
from kttc.policy import evidence_pack as rules

#: The date every member of the zip carries (the zip format's earliest).
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class DrawnPack:
    """A pack's zip, its SHA-256 and the PDF inside it."""

    zip: bytes
    sha256: str
    pdf: bytes
    language: str


def _json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def verify_script() -> bytes:
    """The pack's verify.py: the platform's own rules of packs, word for word (standard
    library only)."""
    return Path(rules.__file__).read_bytes()


def files_of(content: PackContent, language: str, pdf: bytes) -> dict[str, bytes]:
    """Every file of the pack by its path, the manifest last (over all the others)."""
    assert content.checkpoint is not None  # a pack is drawn once a checkpoint covers it
    basis = {e.seq for e in content.basis}
    entries = [
        pack_entry(
            e,
            rules.DECISION
            if e.seq == content.decision.seq
            else rules.BASIS
            if e.seq in basis
            else rules.CHAIN,
        )
        for e in content.chain
    ]
    files: dict[str, bytes] = {
        rules.ENTRIES: rules.entries_jsonl(entries),
        rules.CHECKPOINT: _json(checkpoint_row(content.checkpoint)),
        rules.ANCHORS: _json([checkpoint_row(c) for c in content.anchors]),
        rules.POLICY_VERSION: _json(content.policy_version),
        rules.CLAUSES: _json(content.clauses),
        rules.PDF: pdf,
        rules.VERIFY_PY: verify_script(),
        rules.VERIFY_MD: render_to_string(
            "oversight/evidence/VERIFY.md",
            {
                "decision": content.decision,
                "checkpoint": content.checkpoint,
                "chain_length": len(content.chain),
                "public_checkpoints": f"{settings.KTTC_SITE_URL}/audit/checkpoints/?format=json",
            },
        ).encode("utf-8"),
    }
    for document in content.documents:
        if document["path"]:
            files[str(document["path"])] = content.document_bytes[str(document["sha256"])]
    for row in content.evidence_rows:
        if row["path"]:
            files[str(row["path"])] = content.evidence_bytes[(str(row["model"]), str(row["id"]))]
    files["SHA256SUMS"] = "".join(
        f"{rules.sha256_hex(data)}  {path}\n" for path, data in sorted(files.items())
    ).encode("utf-8")
    return with_manifest(files)


def with_manifest(files: dict[str, bytes]) -> dict[str, bytes]:
    """``files`` with their manifest: each file's SHA-256 and the pack's metadata, derived from
    the files as a verifier derives it."""
    meta = rules.pack_metadata(
        rules.parse_entries(files[rules.ENTRIES]),
        json.loads(files[rules.CHECKPOINT]),
        json.loads(files[rules.ANCHORS]),
        files,
    )
    return {**files, rules.MANIFEST: rules.manifest_bytes(files, meta)}


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[path])
    return buffer.getvalue()


def draw(content: PackContent, language: str) -> DrawnPack:
    """The pack's zip (with its PDF) in ``language`` (the PDF's; English where the platform has
    no font for it)."""
    language = fonts.pdf_language(language)
    inner = pdf(content, language)
    data = zipped(files_of(content, language, inner))
    return DrawnPack(data, rules.sha256_hex(data), inner, language)


# --- the PDF -------------------------------------------------------------------------------------


def _grid(rows: list[list[object]], widths: tuple[float, ...], header: bool = False) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    shaded = (-1, 0) if header else (0, -1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "#9aa5b1"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), shaded, "#eef1f4"),
            ]
        )
    )
    return table


def _action(action: str) -> str:
    return str(AUDIT_ACTION_LABELS.get(action, action))


def pdf(content: PackContent, language: str, zip_sha256: str = "") -> bytes:
    """M14.1: the pack's summary on A4 in ``language``: the decision, the rules checked with
    their text, the policy version, the documents and their hashes, who decided what and when,
    the chain proof, the zip's SHA-256 (where given) and how to verify."""
    with translation.override(language):
        font = fonts.cjk_font()
        base = ParagraphStyle("kttc", fontName=font.name, fontSize=9, leading=13, wordWrap="CJK")
        heading = ParagraphStyle("kttc-title", parent=base, fontSize=15, leading=22, alignment=1)
        h2 = ParagraphStyle("kttc-h2", parent=base, fontSize=11.5, leading=17, spaceBefore=8)
        mono = ParagraphStyle("kttc-hash", parent=base, fontSize=7, leading=9)
        p = fonts.paragraph
        d = content.decision
        story: list[Flowable] = [
            p(gettext("Evidence pack (M14.1)"), heading),
            Spacer(1, 4 * mm),
            p(
                gettext(
                    "This pack shows a decision recorded in the platform's audit chain, the "
                    "entries it rests on and the rules checked, with the proof that none of "
                    "them was altered since."
                ),
                base,
            ),
            p(gettext("The decision"), h2),
        ]
        facts = [
            (gettext("Entry"), f"#{d.seq}"),
            (gettext("Action"), _action(d.action)),
            (gettext("Object"), d.object_repr),
            (gettext("Organisation"), d.organisation_label or "—"),
            (gettext("Actor"), d.actor_label),
            (gettext("Time"), dates.moment(d.created_at, seconds=True)),
            (gettext("Clauses"), ", ".join(d.clauses or []) or "—"),
            (gettext("Policy version"), d.policy_version or "—"),
        ]
        rows: list[list[object]] = [[p(k, base), p(v, base)] for k, v in facts]
        rows.append([p(gettext("Hash"), base), p(d.hash, mono)])
        story.append(_grid(rows, (40 * mm, 130 * mm)))

        story.append(p(gettext("Rules checked"), h2))
        if content.clauses:
            rows = [[p(gettext("Clause"), base), p(gettext("Text of the measures"), base)]]
            rows += [[p(str(c["id"]), base), p(str(c["text"]), base)] for c in content.clauses]
            story.append(_grid(rows, (20 * mm, 150 * mm), header=True))
        else:
            story.append(p(gettext("The entries cite no clause."), base))

        if content.measures_zh:
            story.append(p(gettext("The measures' text (Chinese, authoritative)"), h2))
            rows = [[p(measure, base), p(text, base)] for measure, text in content.measures_zh]
            story.append(_grid(rows, (20 * mm, 150 * mm)))

        story.append(p(gettext("Policy version in force"), h2))
        version = content.policy_version
        if version is None:
            story.append(p(gettext("The entry names no stored policy version."), base))
        else:
            until = version["effective_until"] or "—"
            story.append(
                p(
                    f"{version['code']} · {version['title']} · {version['effective_from']} – "
                    f"{until}",
                    base,
                )
            )
            params = version["parameters"]
            rows = [
                [
                    p(gettext("Parameter"), base),
                    p(gettext("Value"), base),
                    p(gettext("Clauses"), base),
                ]
            ]
            rows += [
                [
                    p(gettext(str(x["title"])) or str(x["key"]), base),
                    p(str(x["value"]), base),
                    p(", ".join(x["clauses"]), base),
                ]
                for x in params  # type: ignore[attr-defined]
            ]
            story.append(_grid(rows, (100 * mm, 35 * mm, 35 * mm), header=True))

        story.append(p(gettext("Documents and their SHA-256"), h2))
        if content.documents:
            rows = [[p(gettext("Document"), base), p("SHA-256", base)]]
            for doc in content.documents:
                kept = "" if doc["path"] else " " + gettext("(not kept by the platform)")
                rows.append([p(f"{doc['name']}{kept}", base), p(str(doc["sha256"]), mono)])
            story.append(_grid(rows, (60 * mm, 110 * mm), header=True))
        else:
            story.append(p(gettext("The entries record no document."), base))

        story.append(p(gettext("Who decided and when"), h2))
        rows = [
            [
                p(gettext("Entry"), base),
                p(gettext("Time"), base),
                p(gettext("Actor"), base),
                p(gettext("Organisation"), base),
                p(gettext("Action"), base),
            ]
        ]
        rows += [
            [
                p(f"#{e.seq}", base),
                p(dates.moment(e.created_at), base),
                p(e.actor_label, base),
                p(e.organisation_label or "—", base),
                p(_action(e.action), base),
            ]
            for e in content.people
        ]
        story.append(_grid(rows, (15 * mm, 32 * mm, 35 * mm, 40 * mm, 48 * mm), header=True))
        if content.basis_cut:
            story.append(
                p(
                    gettext(
                        "More entries rest on this decision than a pack carries: the "
                        "nearest ones are shown."
                    ),
                    base,
                )
            )

        c = content.checkpoint
        assert c is not None
        story.append(p(gettext("Chain proof"), h2))
        story.append(
            p(
                gettext(
                    "%(n)s entries: from the decision's entry #%(first)s to entry #%(last)s, "
                    "whose hash the checkpoint of %(time)s recorded, and from each entry the "
                    "decision rests on to the first checkpoint at or after it (%(anchors)s "
                    "earlier checkpoints). Each entry's hash is the SHA-256 of the previous "
                    "entry's hash, a newline and the entry's canonical form (entries.jsonl)."
                )
                % {
                    "n": len(content.chain),
                    "first": d.seq,
                    "last": c.seq,
                    "time": dates.moment(c.created_at, seconds=True),
                    "anchors": len(content.anchors),
                },
                base,
            )
        )
        rows = [
            [p(gettext("Checkpoint hash"), base), p(c.hash, mono)],
            [p(gettext("Checkpoint signature"), base), p(c.signature, mono)],
        ]
        if zip_sha256:
            rows.append([p(gettext("SHA-256 of the pack's zip"), base), p(zip_sha256, mono)])
        story.append(_grid(rows, (45 * mm, 125 * mm)))
        story.append(Spacer(1, 2 * mm))
        story.append(
            p(
                gettext(
                    "The checkpoint's signature is under the platform's key: verify it by "
                    "comparing checkpoint.json with the publicly listed checkpoints you keep "
                    "(/audit/checkpoints/), not with a key."
                ),
                base,
            )
        )

        story.append(p(gettext("How to verify"), h2))
        steps = [
            gettext("Unzip the pack; run sha256sum -c SHA256SUMS: every file matches."),
            gettext(
                "Run python3 verify.py (Python's standard library only): it checks every file "
                "against manifest.json, recomputes each entry's hash and every link of the "
                "chain proof, checks the documents against the entries and compares the last "
                "hash with checkpoint.json; it prints VERIFIED."
            ),
            gettext(
                "Download the checkpoints from /audit/checkpoints/ (or use those you kept) and "
                "run python3 verify.py --checkpoints kttc-audit-checkpoints.json: the pack's "
                "checkpoint must be one of them."
            ),
            gettext("VERIFY.md in the pack gives each step in detail."),
        ]
        story += [p(f"{n}. {text}", base) for n, text in enumerate(steps, start=1)]
        buffer = io.BytesIO()
        SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
            title=gettext("Evidence pack (M14.1)") + f" #{d.seq}",
            subject=f"M14.1 {d.action} {d.object_repr}"[:200],
            author="KTTC",
            keywords=[fonts.not_embedded_note(font)],
            invariant=True,
        ).build(story)
        return buffer.getvalue()

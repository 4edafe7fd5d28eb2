"""Evidence packs (M14.1): the demo licence's pack verifies with its own verify.py run by a plain,
isolated Python and with ``kttc evidence verify``; any flipped byte, or a changed entry with its
manifest recomputed, fails; the pack of each kind of decision carries what it rests on; drawing
is recorded without changing the pack; another unit's office gets a 404."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from pypdf import PdfReader

from kttc.core.models import AuditCheckpoint, AuditEntry, User
from kttc.core.tests.factories import OrganisationFactory, UserFactory
from kttc.oversight.evidence import pack, selectors
from kttc.policy import evidence_pack as rules
from kttc.policy.evidence import canonical_bytes
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db

OFFICE = "office@demo.kttc.example"
AUDITOR = "auditor@demo.kttc.example"


@pytest.fixture
def demo(settings, tmp_path):
    """The demo's decisions (results, grants, licences, contracts, invest-first), checkpointed
    as ``kttc demo`` leaves them."""
    from kttc.benefits import demo as benefits_demo
    from kttc.core import integrity
    from kttc.core.demo import load_demo
    from kttc.reform import demo as reform_demo
    from kttc.registry import demo as registry_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    registry_demo.load_demo()
    reform_demo.load_demo()
    benefits_demo.load_demo()
    integrity.checkpoint_record()


def _decision(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).order_by("seq").first()


def _run_verify(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """verify.py run by a plain Python, isolated (-I: no site packages, no kttc on the path)."""
    return subprocess.run(
        [sys.executable if not Path("/usr/bin/python3").exists() else "/usr/bin/python3",
         "-I", "verify.py", *args],
        cwd=folder, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def _unzip(data: bytes, folder: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(folder)
    return folder


def _rezip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, content in files.items():
            archive.writestr(path, content)
    return buffer.getvalue()


def test_m14_1_the_demo_licences_pack_verifies_and_any_change_fails(demo, client, tmp_path):
    office = User.objects.get(email=OFFICE)
    licence = _decision("licence.conclude")
    client.force_login(office)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    # from the licence's page to its pack's page
    page = client.get(reverse("licences:licence", args=[licence.object_id])).content.decode()
    link = reverse("evidence:of_object", args=["reform.licence", licence.object_id])
    assert link in page
    response = client.get(link, follow=True)
    summary = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("evidence:pack", args=[licence.seq])
    for clause in ("M3.2", "M3.3", "M8.6"):
        assert clause in summary
    assert licence.hash in summary and "先使用后付费" in summary
    assert licence.policy_version in summary and "M5.2" in summary  # the version's parameters
    before = AuditEntry.objects.count()
    data = client.get(reverse("evidence:zip", args=[licence.seq])).content
    drawn = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == before + 1
    assert drawn.action == "evidence.pack_drawn" and drawn.clauses == ["M14.1"]
    assert drawn.after["sha256"] == rules.sha256_hex(data)
    assert drawn.seq > AuditCheckpoint.objects.order_by("-seq").first().seq
    # drawn again, the pack is the same file: its drawing is after its checkpoint
    assert client.get(reverse("evidence:zip", args=[licence.seq])).content == data

    files = rules.read_zip(data)
    entries = rules.parse_entries(files[rules.ENTRIES])
    basis = {json.loads(e.canonical)["action"] for e in entries if e.part == rules.BASIS}
    assert {"achievement.submitted", "licence.offer", "licence.apply"} <= basis
    clauses = {c["id"]: c for c in json.loads(files[rules.CLAUSES])}
    assert {"M3.2", "M3.3", "M3.1", "M8.6"} <= set(clauses)
    assert "零门槛费" in clauses["M3.2"]["measure_text_zh"]  # the authoritative text
    assert "zero entry fee" in clauses["M3.2"]["text"]
    version = json.loads(files[rules.POLICY_VERSION])
    assert version["code"] == licence.policy_version
    assert {p["key"] for p in version["parameters"]} >= {"completer_income_min_share"}
    assert files[rules.VERIFY_PY] == Path(rules.__file__).read_bytes()

    folder = _unzip(data, tmp_path / "pack")
    run = _run_verify(folder)
    assert run.returncode == 0 and run.stdout.startswith("VERIFIED"), run.stdout + run.stderr
    export = tmp_path / "kept.json"
    export.write_bytes(client.get(reverse("audit_checkpoints") + "?format=json").content)
    assert _run_verify(folder, "--checkpoints", str(export)).returncode == 0
    (tmp_path / "pack.zip").write_bytes(data)
    out = io.StringIO()
    call_command("evidence_verify", str(tmp_path / "pack.zip"), stdout=out)
    assert "VERIFIED" in out.getvalue()

    # the PDF opens and names the clauses and the hashes
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(files[rules.PDF])).pages)
    compact = "".join(text.split())
    for clause in ("M3.2", "M3.3", "M8.6", "M14.1"):
        assert clause in compact
    assert licence.hash in compact
    assert AuditCheckpoint.objects.get(seq=entries[-1].seq).hash in compact

    # any flipped byte of any file fails (three places of each file)
    for path, content in files.items():
        for at in {0, len(content) // 2, len(content) - 1}:
            changed = bytearray(content)
            changed[at] ^= 0x01
            with pytest.raises(rules.PackFailure):
                rules.verify_files({**files, path: bytes(changed)})
    flipped = bytearray(files[rules.ENTRIES])
    flipped[10] ^= 0x01
    (folder / rules.ENTRIES).write_bytes(bytes(flipped))
    run = _run_verify(folder)
    assert run.returncode == 1 and run.stdout.startswith("FAILED"), run.stdout

    # a changed entry, with the manifest and SHA256SUMS recomputed, still fails on its link
    decision = next(e for e in entries if e.part == rules.DECISION)
    fields = decision.fields()
    fields["after"] = {**fields["after"], "royalty_rate": "0.01"}  # type: ignore[dict-item]
    forged = [
        rules.PackEntry(e.seq, e.previous_hash, e.hash, e.part, canonical_bytes(fields).decode())
        if e is decision
        else e
        for e in entries
    ]
    files[rules.ENTRIES] = rules.entries_jsonl(forged)
    files.pop("SHA256SUMS")
    files["SHA256SUMS"] = "".join(
        f"{rules.sha256_hex(v)}  {k}\n" for k, v in sorted(files.items()) if k != rules.MANIFEST
    ).encode()
    files = pack.with_manifest({k: v for k, v in files.items() if k != rules.MANIFEST})
    (tmp_path / "forged.zip").write_bytes(_rezip(files))
    with pytest.raises(CommandError, match=f"entry {decision.seq}: the content does not match"):
        call_command("evidence_verify", str(tmp_path / "forged.zip"), stdout=io.StringIO())


def test_m14_1_a_pack_is_drawn_by_the_units_office_the_bureau_and_auditors_only(
    demo, client, settings
):
    licence = _decision("licence.conclude")
    other = OrganisationFactory(kind="university", name="滇池理工学院")
    stranger = UserFactory(email="office@other.example")
    from kttc.core.models import Membership

    Membership.objects.create(user=stranger, organisation=other, role=Role.TRANSFER_OFFICE.value)
    client.force_login(stranger)
    for name in ("evidence:pack", "evidence:zip", "evidence:pdf"):
        assert client.get(reverse(name, args=[licence.seq])).status_code == 404
    of_object = reverse("evidence:of_object", args=["reform.licence", licence.object_id])
    assert client.get(of_object).status_code == 404
    drawn = AuditEntry.objects.filter(action="evidence.pack_drawn").count()
    assert drawn == 0
    client.force_login(User.objects.get(email=AUDITOR))
    for language, _name in settings.LANGUAGES:  # the page in every language
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        page = client.get(reverse("evidence:pack", args=[licence.seq])).content.decode()
        with translation.override(language):
            for text in ("Evidence pack (M14.1)", "Entries it rests on", "Rules checked"):
                assert escape(gettext(text)) in page, (language, text)
        assert "M3.2" in page and licence.hash in page
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    audit = client.get(reverse("office:audit")).content.decode()
    assert reverse("evidence:pack", args=[licence.seq]) in audit
    pdf = client.get(reverse("evidence:pdf", args=[licence.seq]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Evidence pack (M14.1)" in text
    zipped = client.get(reverse("evidence:zip", args=[licence.seq])).content
    assert rules.sha256_hex(zipped) in "".join(text.split())  # the PDF names the zip's hash
    rules.verify_files(rules.read_zip(zipped))
    assert AuditEntry.objects.filter(action="evidence.pack_drawn").count() == 2


#: Decisions of each kind in the demo, what each rests on and a clause it checks.
KINDS = (
    ("empowerment.granted", {"empowerment.notice", "empowerment.agreement_sign"}, "M1.5"),
    ("distribution.decide", {"licence.conclude", "contract.register"}, "M5.2"),
    ("invest_first.convert", {"invest_first.grant"}, "M7.3"),
    ("open_licensing.list", {"achievement.published"}, "M4.4"),
)


#: The pages of decided objects that lead their unit's office to the decision's pack.
PAGES = {
    "empowerment.granted": "reform:application",
    "distribution.decide": "contracts:distribution",
}


def test_m14_1_each_kind_of_decision_has_a_pack_of_what_it_rests_on(demo, client):
    client.force_login(User.objects.get(email=OFFICE))
    for action, page in PAGES.items():
        entry = _decision(action)
        html = client.get(reverse(page, args=[entry.object_id])).content.decode()
        link = reverse("evidence:of_object", args=[entry.object_type, entry.object_id])
        assert link in html, action
        href = html[html.index(link) :].split('"')[0].replace("&amp;", "&")
        assert client.get(href)["Location"] == reverse("evidence:pack", args=[entry.seq])
    for action, rests_on, clause in KINDS:
        entry = _decision(action)
        call_command("evidence_pack", str(entry.seq), "-o", "/dev/null", stdout=io.StringIO())
        content = selectors.pack_content(entry, selectors.covering_checkpoint(entry))
        assert rests_on <= {e.action for e in content.basis}, action
        assert clause in {c["id"] for c in content.clauses}, action
        if action == "empowerment.granted":  # the notice and agreement texts, by their hash
            names = {d["name"] for d in content.documents if d["path"]}
            assert {"notice.txt", "agreement.txt"} <= names
        report = rules.verify_files(rules.read_zip(pack.draw(content, "en").zip))
        assert report.decision_seq == entry.seq
        assert report.documents == len([d for d in content.documents if d["path"]])
        assert report.evidence_rows == len(content.evidence_rows)
    assert AuditEntry.objects.filter(action="evidence.pack_drawn").count() == len(KINDS)


def test_m14_1_an_equity_investments_pack_is_drawn_after_a_checkpoint_recorded_first(
    personas, settings, tmp_path, client
):
    from kttc.benefits.tests.factories import investment_recorded

    settings.MEDIA_ROOT = tmp_path
    investment_recorded(personas, personas.organisations[Role.TRANSFER_OFFICE])
    entry = _decision("equity.investment_record")
    assert not AuditCheckpoint.objects.exists()
    client.force_login(personas.transfer_office)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("evidence:pack", args=[entry.seq])).content.decode()
    assert "No checkpoint covers this decision yet" in page and "M6.1" in page
    path = tmp_path / "equity.zip"
    call_command("evidence_pack", str(entry.seq), "-o", str(path), stdout=io.StringIO())
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.seq >= entry.seq
    drawn = AuditEntry.objects.get(action="evidence.pack_drawn")
    assert drawn.seq > checkpoint.seq and drawn.after["sha256"] == rules.sha256_hex(
        path.read_bytes()
    )
    report = rules.verify_files(rules.read_zip(path.read_bytes()))
    assert "M6.1" in {c["id"] for c in json.loads(rules.read_zip(path.read_bytes())[rules.CLAUSES])}
    assert report.checkpoint_seq == checkpoint.seq
    page = client.get(reverse("evidence:pack", args=[entry.seq])).content.decode()
    assert "No checkpoint covers" not in page and checkpoint.hash in page

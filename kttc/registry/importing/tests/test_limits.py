"""An import file is bounded before it is read: the size it unpacks to and the length of each
cell are checked on the zip's metadata and on the streamed XML, before openpyxl holds any of it,
on the upload page and in the command alike; a refused upload leaves nothing behind."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from kttc.core.errors import translated_message
from kttc.core.models import Job
from kttc.policy.roles import Role
from kttc.registry import importing
from kttc.registry.importing import reading
from kttc.registry.models import Achievement

SMALL = importing.Limits(unpacked_bytes=10 * 2**20, cell_chars=1000)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def no_openpyxl(monkeypatch):
    """Reading the workbook with openpyxl fails the test: refusals come before it."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read a file that should have been refused")

    monkeypatch.setattr(reading, "load_workbook", refuse)


def _row() -> dict[str, object]:
    row = {c.header: importing.example_value(c) for c in importing.COLUMNS}
    row["项目编号"] = None
    return row


def _xlsx(name: str, *, write_only: bool = True, padding: int = 0) -> bytes:
    """A workbook with one result named ``name`` (inline strings when ``write_only``, shared
    strings otherwise), and ``padding`` bytes of spaces in an XML part of its own. The name is
    written into the XML afterwards: openpyxl cuts a text to what Excel allows."""
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet(importing.DATA_SHEET) if write_only else book.active
    if not write_only:
        sheet.title = importing.DATA_SHEET
    row = _row() | {"成果名称": "__NAME__"}
    sheet.append(list(row))
    sheet.append(list(row.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in source.infolist():
            copy.writestr(item.filename, source.read(item).replace(b"__NAME__", name.encode()))
        if padding:
            copy.writestr("customXml/item1.xml", b"<a>" + b" " * padding + b"</a>")
    return out.getvalue()


def _csv(name: str) -> bytes:
    row = _row() | {"成果名称": name, "项目编号": ""}
    return (",".join(row) + "\n" + ",".join(f'"{v}"' for v in row.values()) + "\n").encode()


@pytest.mark.parametrize("write_only", [True, False], ids=["inline", "shared-strings"])
def test_a_cell_longer_than_the_bound_is_refused_before_openpyxl_reads_it(no_openpyxl, write_only):
    content = _xlsx("名" * 1001, write_only=write_only)
    with pytest.raises(importing.ImportFileError) as refused:
        importing.read_rows(content, "成果.xlsx", limits=SMALL)
    assert (refused.value.code, refused.value.field) == ("import.cell_size", "file")
    assert refused.value.params["max"] == 1000
    assert "1000" in translated_message(refused.value)
    if write_only:  # an inline string is read in its cell: the message names it
        assert refused.value.params["cell"] == "B2"


def test_a_cell_at_the_bound_is_read():
    table = importing.read_rows(_xlsx("名" * 1000), "成果.xlsx", limits=SMALL)
    assert table.rows[0].values[1] == "名" * 1000


def test_the_default_bound_is_excels_own_cell_limit(no_openpyxl):
    assert importing.UPLOAD_LIMITS.cell_chars == importing.MAX_CELL_CHARS == 32_767
    with pytest.raises(importing.ImportFileError, match="32767"):
        importing.read_rows(_xlsx("a" * 32_768), "成果.xlsx")


def test_a_workbook_unpacking_beyond_the_bound_is_refused_on_its_metadata(no_openpyxl):
    content = _xlsx("高原植物", padding=11 * 2**20)
    assert len(content) < 100_000  # a small file
    with pytest.raises(importing.ImportFileError) as refused:
        importing.read_rows(content, "成果.xlsx", limits=SMALL)
    assert refused.value.code == "import.file_size" and refused.value.params["max"] == 10


def test_a_csv_cell_longer_than_the_bound_is_refused():
    with pytest.raises(importing.ImportFileError) as refused:
        importing.read_rows(_csv("名" * 1001), "成果.csv", limits=SMALL)
    assert refused.value.code == "import.cell_size"
    with pytest.raises(importing.ImportFileError, match="32767"):
        importing.read_rows(_csv("名" * 200_000), "成果.csv")  # beyond the csv module's limit


@pytest.mark.parametrize(
    ("filename", "content"),
    [("成果.xlsx", _xlsx("名" * 1001)), ("成果.csv", _csv("名" * 1001)),
     ("成果.xlsx", _xlsx("高原植物", padding=11 * 2**20))],
    ids=["xlsx-cell", "csv-cell", "xlsx-unpacked"],
)  # fmt: skip
def test_the_command_refuses_beyond_its_bounds_naming_them(
    tmp_path, personas, monkeypatch, filename, content
):
    monkeypatch.setattr(reading, "COMMAND_LIMITS", SMALL)
    path = tmp_path / filename
    path.write_bytes(content)
    with pytest.raises(CommandError, match=r"1000 characters|10 MB"):
        call_command(
            "import_achievements", str(path), actor=personas.transfer_office.email,
            language="en", stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    assert not Achievement.objects.exists()


def test_the_command_has_bounds_of_its_own():
    assert importing.COMMAND_LIMITS.cell_chars == importing.MAX_CELL_CHARS
    assert importing.UPLOAD_LIMITS.unpacked_bytes < importing.COMMAND_LIMITS.unpacked_bytes


def test_the_upload_page_refuses_beside_the_file_and_keeps_nothing(
    client, personas, settings, monkeypatch, no_openpyxl
):
    monkeypatch.setattr(reading, "UPLOAD_LIMITS", SMALL)
    client.force_login(personas.transfer_office)
    client.cookies["django_language"] = "en"
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    file = io.BytesIO(_xlsx("名" * 1001))
    file.name = "成果.xlsx"
    response = client.post(reverse("registry:import"), {"file": file, "unit": unit.pk})
    assert response.status_code == 200
    assert "1000 characters" in str(response.context["form"].errors["file"])
    imports = settings.MEDIA_ROOT / "imports"
    assert not imports.exists() or not any(imports.iterdir())
    assert not Job.objects.exists()

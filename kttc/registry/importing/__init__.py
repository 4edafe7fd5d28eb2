"""Bulk import of achievements from xlsx and csv files with Chinese headers (M8.6).

One row is one achievement. Each cell is parsed into the raw shape of
:func:`kttc.registry.validation.validate_achievement`, every row is validated, and every problem
is reported with its row (as numbered in the spreadsheet, header = row 1), column and rule. A file
with any problem stores nothing; a clean file is stored in one transaction through the registry's
services, so the rows are audited like entries made by hand (one audit entry per result).

Re-importing updates instead of duplicating: a row is matched to the unit's result with the same
单位内部编号 (``external_ref``); a row without one, or whose reference the unit does not know yet,
is matched to the unit's result with exactly the same name (and no reference of its own).
"""

from kttc.registry.importing.checking import (
    REF,
    ImportCheck,
    Planned,
    Progress,
    RowProblem,
    check_file,
)
from kttc.registry.importing.columns import (
    BY_KEY,
    COLUMNS,
    DATA_SHEET,
    HELP_SHEET,
    Column,
    column_for,
    column_help,
)
from kttc.registry.importing.files import (
    example_value,
    redacted,
    report_csv,
    report_xlsx,
    template_csv,
    template_xlsx,
)
from kttc.registry.importing.reading import (
    COMMAND_LIMITS,
    MAX_BYTES,
    MAX_CELL_CHARS,
    MAX_ROWS,
    UPLOAD_LIMITS,
    FileTable,
    ImportFileError,
    Limits,
    Row,
    Table,
    check_size,
    check_workbook,
    read_rows,
)
from kttc.registry.importing.storing import ImportResult, run_import

__all__ = [
    "BY_KEY", "COLUMNS", "COMMAND_LIMITS", "DATA_SHEET", "HELP_SHEET", "MAX_BYTES",
    "MAX_CELL_CHARS", "MAX_ROWS", "REF", "UPLOAD_LIMITS", "Column",
    "FileTable", "ImportCheck", "ImportFileError", "ImportResult", "Limits", "Planned", "Progress",
    "Row", "RowProblem",
    "Table", "check_file", "check_size", "check_workbook", "column_for", "column_help",
    "example_value",
    "read_rows", "redacted", "report_csv", "report_xlsx", "run_import", "template_csv",
    "template_xlsx",
]  # fmt: skip

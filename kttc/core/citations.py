"""Where each obligation is carried: citations of clause ids in the code and in the tests.

A citation is a clause id written in a module (a docstring, a message, a comment) or a template;
in tests, also a test named after the clause (``test_m1_5_...``). Each citation is attributed to
the innermost function or class around it, so ``kttc policy clauses`` can say which code carries
an obligation and which tests prove it.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kttc.policy.clauses import CLAUSE_ID_PATTERN, CLAUSES

TEST_NAME_PATTERN = re.compile(r"(?:^|_)m(\d{1,2})_(\d{1,2})(?=_|$)")
SKIPPED_PARTS = {"migrations", "__pycache__", "locale", "static"}
SKIPPED_FILES = {"clauses.py", "citations.py"}


@dataclass(frozen=True)
class Citation:
    path: str
    line: int
    where: str


@dataclass
class ClauseCarriers:
    code: list[Citation] = field(default_factory=list)
    tests: list[Citation] = field(default_factory=list)


def _is_test(path: Path) -> bool:
    return "tests" in path.parts or path.name.startswith("test_")


def _scopes(source: str) -> list[tuple[int, int, str]]:
    """(first line, last line, qualified name) of every function and class, outermost first."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    scopes: list[tuple[int, int, str]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                scopes.append((child.lineno, child.end_lineno or child.lineno, name))
                visit(child, name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return scopes


def _innermost(scopes: list[tuple[int, int, str]], line: int) -> str:
    best = "(module)"
    for first, last, name in scopes:
        if first <= line <= last:
            best = name
    return best


def scan(root: Path) -> dict[str, ClauseCarriers]:
    """Citations of every known clause under ``root``'s ``kttc`` and ``tests`` folders."""
    carriers: dict[str, ClauseCarriers] = defaultdict(ClauseCarriers)
    files = [
        p
        for base in ("kttc", "tests")
        for p in sorted((root / base).rglob("*"))
        if p.suffix in (".py", ".html") and p.is_file()
    ]
    for path in files:
        rel = path.relative_to(root)
        if SKIPPED_PARTS & set(rel.parts) or path.name in SKIPPED_FILES:
            continue
        source = path.read_text(encoding="utf-8")
        scopes = _scopes(source) if path.suffix == ".py" else []
        bucket = "tests" if _is_test(rel) else "code"
        seen: set[tuple[str, str]] = set()
        for number, text in enumerate(source.splitlines(), start=1):
            ids = [m.group(1) for m in CLAUSE_ID_PATTERN.finditer(text)]
            if bucket == "tests":
                ids += [
                    f"M{a}.{b}"
                    for a, b in TEST_NAME_PATTERN.findall(text.lower())
                    if text.lstrip().startswith(("def ", "async def ", "class "))
                ]
            for clause in ids:
                if clause not in CLAUSES:
                    continue
                where = _innermost(scopes, number)
                if (clause, where) in seen:
                    continue
                seen.add((clause, where))
                getattr(carriers[clause], bucket).append(Citation(str(rel), number, where))
    return dict(carriers)

"""Translations: Simplified Chinese is the default language and every user-facing string has one.

The source strings in code and templates are English; ``kttc/locale/zh_Hans`` translates them.
These tests fail when a string is left untranslated or fuzzy, when a translation loses a
placeholder, when the compiled ``.mo`` lags behind the ``.po``, when the source has a string the
catalogue lacks (or the catalogue keeps one the source dropped), and when a public page comes out
in the wrong language.

To bring the catalogues up to date, from ``kttc/``::

    ../.venv/bin/kttc makemessages -l zh_Hans -l en --no-location --no-obsolete
    # translate the new entries of locale/zh_Hans/LC_MESSAGES/django.po, then
    ../.venv/bin/kttc compilemessages
"""

from __future__ import annotations

import ast
import functools
import gettext as gnu_gettext
import html
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import trim_whitespace

import kttc

PACKAGE = Path(kttc.__file__).resolve().parent
LOCALE = PACKAGE / "locale"
#: The catalogues that translate the English source: every entry of each must be translated.
TRANSLATED = ("zh_Hans", "vi", "th", "lo", "my", "km")
LANGUAGES = (*TRANSLATED, "en")
#: Each catalogue's language code as Django names it (the cookie's value, ``<html lang>``).
CODES = {"zh_Hans": "zh-hans", "vi": "vi", "th": "th", "lo": "lo", "my": "my", "km": "km"}
ZH_PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"

#: A printf directive as Python's ``%`` operator reads it, or an escaped percent sign.
DIRECTIVE = re.compile(
    r"%%|%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa]"
)
CJK = re.compile(r"[\u4e00-\u9fff]+")
HTML_LANG = re.compile(r'<html\b[^>]*\blang="(?P<lang>[^"]*)"', re.I)


@functools.cache
def _po(language: str = "zh_Hans") -> polib.POFile:
    """A catalogue, read once per run (the tests only read it; reading takes seconds)."""
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def _label(entry: polib.POEntry) -> str:
    return entry.msgid if len(entry.msgid) < 70 else entry.msgid[:67] + "..."


@pytest.fixture(scope="module")
def zh() -> polib.POFile:
    return _po("zh_Hans")


@pytest.fixture(params=TRANSLATED)
def catalogue(request) -> polib.POFile:
    """Each translated catalogue in turn (read once)."""
    return _po(request.param)


@pytest.fixture(scope="module")
def zh_text(zh) -> dict[str, str]:
    """msgid → Chinese, for the singular entries without context."""
    return {e.msgid: e.msgstr for e in zh if not e.msgid_plural and not e.msgctxt}


@pytest.fixture(scope="module")
def zh_keys(zh) -> set[tuple[str | None, str]]:
    """(context, msgid) of the Chinese catalogue's live entries, for the test of each string."""
    return {_key(e) for e in zh if not e.obsolete}


# --- the catalogue itself ---------------------------------------------------------------------


@pytest.mark.engine_neutral  # the catalogues and the source, no database
def test_catalogues_exist_where_django_looks_for_them():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == [
        "zh-hans", "en", "vi", "th", "lo", "my", "km"
    ]  # fmt: skip
    assert [Path(p).resolve() for p in settings.LOCALE_PATHS] == [LOCALE]
    for language in LANGUAGES:
        directory = LOCALE / language / "LC_MESSAGES"
        assert (directory / "django.po").is_file(), f"{directory}/django.po is missing"
        assert (directory / "django.mo").is_file(), (
            f"{directory}/django.mo is missing: run `kttc compilemessages` from kttc/ and commit it"
        )


@pytest.mark.engine_neutral
def test_catalogue_header(catalogue):
    language = catalogue.metadata.get("Language")
    assert language in TRANSLATED
    assert not catalogue.metadata_is_fuzzy, f"the header of the {language} catalogue is fuzzy"
    assert catalogue.metadata.get("Content-Type") == "text/plain; charset=UTF-8"
    # Chinese, Vietnamese, Thai, Lao, Burmese and Khmer have no plural forms.
    assert catalogue.metadata.get("Plural-Forms", "").replace(" ", "") == "nplurals=1;plural=0;"


@pytest.mark.engine_neutral
def test_every_entry_is_translated_and_not_fuzzy(catalogue):
    language = catalogue.metadata.get("Language")
    entries = [e for e in catalogue if not e.obsolete]
    untranslated = [_label(e) for e in entries if not all(_translations(e))]
    fuzzy = [_label(e) for e in entries if "fuzzy" in e.flags]
    obsolete = [_label(e) for e in catalogue if e.obsolete]
    assert not untranslated, f"{len(untranslated)} untranslated {language} entries: {untranslated}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy {language} entries (review and unmark them): {fuzzy}"
    assert not obsolete, f"obsolete entries left in the {language} catalogue: {obsolete}"


@pytest.mark.engine_neutral
def test_plural_entries_have_exactly_one_form(catalogue):
    wrong = [_label(e) for e in catalogue if e.msgid_plural and sorted(e.msgstr_plural) != [0]]
    assert not wrong, f"one plural form only (msgstr[0]): {wrong}"


@pytest.mark.engine_neutral
def test_every_catalogue_has_the_same_messages(catalogue):
    en = _po("en")
    language = catalogue.metadata.get("Language")
    mine = {_key(e) for e in catalogue if not e.obsolete}
    source = {_key(e) for e in en if not e.obsolete}
    assert mine == source, (
        f"the en and {language} catalogues differ: missing {sorted(source - mine)[:10]}, "
        f"extra {sorted(mine - source)[:10]}"
    )


def _directives(text: str) -> tuple[Counter, int]:
    """Named placeholders with their counts, and the number of positional ones (``%%`` aside)."""
    named: Counter = Counter()
    positional = 0
    for match in DIRECTIVE.finditer(text):
        if match.group() == "%%":
            continue
        if match.group("name") is not None:
            named[match.group("name")] += 1
        else:
            positional += 1
    return named, positional


@pytest.mark.engine_neutral
def test_translations_keep_every_placeholder(catalogue):
    problems = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        source_names = set()
        source_positional = set()
        for source in sources:
            names, positional = _directives(source)
            source_names |= set(names)
            source_positional.add(positional)
        for translated in _translations(entry):
            if not translated:
                continue  # reported by the untranslated test
            names, positional = _directives(translated)
            missing = source_names - set(names)
            extra = set(names) - source_names
            if missing or extra or positional not in source_positional:
                problems.append(
                    f"{_label(entry)!r} → {translated!r}: missing {sorted(missing)}, "
                    f"unknown {sorted(extra)}, "
                    f"{positional} positional vs {sorted(source_positional)}"
                )
    assert not problems, "placeholders differ between msgid and msgstr:\n" + "\n".join(problems)


@pytest.mark.engine_neutral
def test_python_format_translations_can_be_formatted(catalogue):
    """A stray ``%`` (e.g. "70%" where the template needs "70%%") breaks formatting at runtime."""
    problems = []
    for entry in catalogue:
        if entry.obsolete or "python-format" not in entry.flags:
            continue
        names, positional = _directives(entry.msgid)
        for translated in _translations(entry):
            if not translated:
                continue
            try:
                if positional:
                    translated % tuple("x" for _ in range(positional))
                else:
                    translated % {name: "x" for name in names}
            except (KeyError, ValueError, TypeError) as exc:
                problems.append(f"{_label(entry)!r} → {translated!r}: {exc!r}")
    assert not problems, "translations that Python cannot format:\n" + "\n".join(problems)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.engine_neutral
def test_msgfmt_accepts_the_catalogue(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.engine_neutral
def test_compiled_catalogue_is_in_step_with_the_po(language):
    po = _po(language)
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = dict(gnu_gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    compiled.pop("", None)  # the header
    expected: dict[object, str] = {}
    for entry in po.translated_entries():
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                expected[(msgid, int(index))] = text
        else:
            expected[msgid] = entry.msgstr
    stale = sorted(str(k) for k in expected if compiled.get(k) != expected[k])
    extra = sorted(str(k) for k in compiled if k not in expected)
    assert not stale and not extra, (
        f"django.mo ({language}) is out of step with django.po: run `kttc compilemessages` from "
        f"kttc/. Differing: {stale[:10]}; only in the .mo: {extra[:10]}"
    )


@pytest.mark.engine_neutral
def test_django_serves_each_catalogue(catalogue):
    """Through Django's own machinery (the directory name, LOCALE_PATHS, the .mo)."""
    wrong = []
    with translation.override(CODES[catalogue.metadata["Language"]]):
        for entry in catalogue.translated_entries():
            if entry.msgctxt:
                got = translation.pgettext(entry.msgctxt, entry.msgid)
            elif entry.msgid_plural:
                got = translation.ngettext(entry.msgid, entry.msgid_plural, 2)
            else:
                got = translation.gettext(entry.msgid)
            if got != _translations(entry)[0]:
                wrong.append(f"{_label(entry)!r}: {got!r}")
    assert not wrong, "Django does not return the catalogue's translation for:\n" + "\n".join(wrong)


# --- the catalogue against the source ---------------------------------------------------------


@dataclass(frozen=True)
class SourceString:
    where: str
    key: tuple[str | None, str] | None  # (context, msgid); None when it could not be parsed
    note: str = ""


SINGULAR = {
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "_",
    "ugettext",
    "ugettext_lazy",
    "ugettext_noop",
}
PLURAL = {"ngettext", "ngettext_lazy", "ungettext", "ungettext_lazy"}
CONTEXT = {"pgettext", "pgettext_lazy"}
CONTEXT_PLURAL = {"npgettext", "npgettext_lazy"}
TRANSLATION_FUNCTIONS = SINGULAR | PLURAL | CONTEXT | CONTEXT_PLURAL

TRANSLATE_TAG = re.compile(
    r"""\{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<text>.*?)(?P=q)(?P<rest>.*?)%\}""", re.S
)
BLOCK_TAG = re.compile(
    r"\{%\s*(?:blocktranslate|blocktrans)\b(?P<args>.*?)%\}(?P<body>.*?)"
    r"\{%\s*(?:endblocktranslate|endblocktrans)\s*%\}",
    re.S,
)
CONTEXT_ARG = re.compile(r"""\bcontext\s+(?P<q>["'])(?P<ctx>.*?)(?P=q)""")
PLURAL_TAG = re.compile(r"\{%\s*plural\s*%\}")
VARIABLE = re.compile(r"\{\{\s*(?P<name>\w+)\s*\}\}")


def _source_files(suffixes: tuple[str, ...]) -> list[Path]:
    """The files makemessages reads: everything under kttc/ but hidden folders and the locale."""
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if any(
            part.startswith(".") or part in ("__pycache__", "locale", "node_modules")
            for part in relative.parts
        ):
            continue
        if path.is_file() and path.suffix in suffixes:
            found.append(path)
    return found


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _block_msgid(body: str, trimmed: bool) -> str | None:
    """The msgid Django's templatize gives a blocktranslate body, or None for a body with tags
    other than ``{% plural %}`` or with filtered variables (not allowed inside the block)."""
    if "{%" in body or re.search(r"\{\{(?!\s*\w+\s*\}\})", body):
        return None
    pieces, last = [], 0
    for match in VARIABLE.finditer(body):
        pieces.append(body[last : match.start()].replace("%", "%%"))
        pieces.append(f"%({match.group('name')})s")
        last = match.end()
    pieces.append(body[last:].replace("%", "%%"))
    text = "".join(pieces)
    return trim_whitespace(text) if trimmed else text


def _template_strings(path: Path) -> list[SourceString]:
    text = path.read_text(encoding="utf-8")
    where = str(path.relative_to(PACKAGE.parent))
    strings = []
    for match in TRANSLATE_TAG.finditer(text):
        context = CONTEXT_ARG.search(match.group("rest"))
        strings.append(
            SourceString(
                f"{where}:{_line(text, match.start())}",
                (context.group("ctx") if context else None, match.group("text").replace("%", "%%")),
            )
        )
    for match in BLOCK_TAG.finditer(text):
        location = f"{where}:{_line(text, match.start())}"
        args = match.group("args")
        context = CONTEXT_ARG.search(args)
        context_value = context.group("ctx") if context else None
        parts = PLURAL_TAG.split(match.group("body"))
        trimmed = re.search(r"\btrimmed\b", args) is not None
        msgids = [_block_msgid(part, trimmed) for part in parts]
        if len(parts) > 2 or None in msgids:
            strings.append(SourceString(location, None, "blocktranslate body with other tags"))
            continue
        # The plural form is checked through the entry of its singular.
        strings.append(SourceString(location, (context_value, msgids[0])))
    return strings


def _function_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _python_strings(path: Path) -> list[SourceString]:
    text = path.read_text(encoding="utf-8")
    where = str(path.relative_to(PACKAGE.parent))
    strings = []
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as exc:
        return [SourceString(f"{where}:{exc.lineno}", None, f"syntax error: {exc.msg}")]
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _function_name(node.func)
        if name not in TRANSLATION_FUNCTIONS or not node.args:
            continue
        location = f"{where}:{node.lineno}"
        context_first = name in CONTEXT | CONTEXT_PLURAL
        wanted = node.args[: 2 if context_first else 1]
        if len(wanted) < (2 if context_first else 1):
            continue
        if any(isinstance(arg, ast.JoinedStr) for arg in wanted):
            strings.append(SourceString(location, None, f"f-string passed to {name}()"))
            continue
        if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in wanted):
            continue  # a variable: looked up at run time, not a msgid of its own
        if context_first:
            strings.append(SourceString(location, (wanted[0].value, wanted[1].value)))
        else:
            strings.append(SourceString(location, (None, wanted[0].value)))
    return strings


def _all_source_strings() -> list[SourceString]:
    strings: list[SourceString] = []
    for path in _source_files((".html", ".txt")):
        strings.extend(_template_strings(path))
    for path in _source_files((".py",)):
        strings.extend(_python_strings(path))
    return strings


SOURCE_STRINGS = _all_source_strings()


@pytest.mark.engine_neutral
def test_the_source_scan_finds_the_strings():
    """Guard against a scan that silently finds nothing."""
    parsed = [s for s in SOURCE_STRINGS if s.key]
    assert len(parsed) > 100
    wheres = {s.where.split(":")[0] for s in parsed}
    assert "kttc/templates/base.html" in wheres
    assert "kttc/policy/params.py" in wheres


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            s,
            id=s.where,
            marks=pytest.mark.skip(
                reason=f"cannot parse the translatable string at {s.where} ({s.note}); "
                "check it by hand with makemessages"
            ),
        )
        if s.key is None
        else pytest.param(s, id=f"{s.where} {s.key[1][:40]}")
        for s in SOURCE_STRINGS
    ],
)
@pytest.mark.engine_neutral
def test_source_string_is_in_the_catalogue(source, zh_keys):
    known = source.key in zh_keys
    msgid = source.key[1]
    assert known, (
        f"{source.where}: {msgid!r} is not in {ZH_PO.relative_to(PACKAGE.parent)}; run "
        "makemessages and translate it"
    )


@pytest.mark.engine_neutral
def test_catalogue_has_no_string_the_source_dropped(zh):
    if any(s.key is None for s in SOURCE_STRINGS):
        pytest.skip("some translatable strings in the source could not be parsed")
    in_source = {s.key for s in SOURCE_STRINGS}
    stale = [_label(e) for e in zh if not e.obsolete and _key(e) not in in_source]
    assert not stale, (
        f"catalogue entries no longer in the source (regenerate with makemessages "
        f"--no-obsolete): {stale}"
    )


# --- pages ------------------------------------------------------------------------------------

PUBLIC_PAGES = ["/", "/organisations/", "/policy/", "/accounts/login/", "/accounts/password/reset/"]

#: Elements marked as Chinese (organisation names, the 简体中文 option of the language switch).
CHINESE_ELEMENT = re.compile(
    r'<(?P<tag>\w+)\b[^>]*\blang="zh-hans"[^>]*>.*?</(?P=tag)>', re.I | re.S
)
#: Elements marked as English (the "English" option), left out of the check of Chinese pages.
ENGLISH_ELEMENT = re.compile(r'<(?P<tag>\w+)\b[^>]*\blang="en"[^>]*>.*?</(?P=tag)>', re.I | re.S)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.I | re.S)
TAG = re.compile(r"<[^>]+>")
LABEL_ATTRIBUTE = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"', re.I)


@pytest.fixture
def organisations(db):
    """Something to list: one organisation with an English name, one without, one not municipal."""
    from kttc.core.tests.factories import OrganisationFactory

    OrganisationFactory(name="春城理工大学", name_en="Chuncheng University of Technology")
    OrganisationFactory(name="滇池生物医药研究院", name_en="", kind="research_institute")
    OrganisationFactory(
        name="昆明测试科技有限公司",
        name_en="Kunming Test Technology Co., Ltd.",
        kind="enterprise",
        is_municipal=False,
    )


def _get(client, url: str, language: str | None) -> str:
    if language is None:
        client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    else:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


def _visible_text(page: str) -> str:
    without_scripts = SCRIPT_OR_STYLE.sub(" ", page)
    labels = " ".join(LABEL_ATTRIBUTE.findall(without_scripts))
    return html.unescape(TAG.sub(" ", without_scripts) + " " + labels)


def _cjk_leaks(page: str) -> list[str]:
    stripped = CHINESE_ELEMENT.sub("", page)
    return [
        stripped[max(0, m.start() - 40) : m.end() + 40].replace("\n", " ")
        for m in CJK.finditer(stripped)
    ]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_page_is_in_chinese_by_default(client, organisations, zh, zh_text, url):
    page = _get(client, url, None)
    match = HTML_LANG.search(page)
    assert match and match.group("lang") == "zh-hans", f"{url}: {match and match.group()}"
    assert zh_text["Kunming (International) Technology Transfer Center"] in page
    # No English source string shows through: each would mean a missing translation.
    text = _visible_text(ENGLISH_ELEMENT.sub("", page))
    english = [
        e.msgid
        for e in zh.translated_entries()
        if not e.msgid_plural
        and e.msgstr != e.msgid
        and "%" not in e.msgid
        and re.search(rf"(?<![\w-]){re.escape(e.msgid)}(?![\w-])", text)
    ]
    assert not english, f"{url} shows untranslated English: {english}"


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_page_is_in_english_with_the_language_cookie(client, organisations, url):
    page = _get(client, url, "en")
    match = HTML_LANG.search(page)
    assert match and match.group("lang") == "en", f"{url}: {match and match.group()}"
    assert "Kunming (International) Technology Transfer Center" in page
    leaks = _cjk_leaks(page)
    assert not leaks, (
        f'{url} in English shows Chinese outside elements marked lang="zh-Hans": {leaks[:5]}'
    )


@pytest.mark.parametrize("language", [lang for lang in TRANSLATED if lang != "zh_Hans"])
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_page_is_in_each_language_of_the_region_with_the_language_cookie(
    client, organisations, url, language
):
    """Vietnamese, Thai, Lao, Burmese and Khmer: ``<html lang>`` names the language and no
    English source string of the catalogue shows through (each would be a missing translation)."""
    code = CODES[language]
    catalogue = _po(language)
    page = _get(client, url, code)
    match = HTML_LANG.search(page)
    assert match and match.group("lang") == code, f"{url}: {match and match.group()}"
    own = {e.msgid: e.msgstr for e in catalogue.translated_entries() if not e.msgid_plural}
    assert own["Kunming (International) Technology Transfer Center"] in page
    text = _visible_text(ENGLISH_ELEMENT.sub("", page))
    english = [
        msgid
        for msgid, msgstr in own.items()
        if msgstr != msgid
        and "%" not in msgid
        and len(msgid) > 3
        and msgid in text  # before the regex: a search for each of thousands of msgids
        and re.search(rf"(?<![\w-]){re.escape(msgid)}(?![\w-])", text)
    ]
    assert not english, f"{url} in {language} shows untranslated English: {english}"


@pytest.mark.parametrize(
    ("url", "msgids"),
    [
        ("/", ["Who works here", "Browse organisations", "Sign in", "Municipal"]),
        (
            "/organisations/",
            [
                "Organisations",
                "Name contains",
                "All kinds",
                "Filter",
                "University",
                "Research institute",
                "Enterprise",
            ],
        ),
        (
            "/policy/",
            [
                "Policy parameters in force",
                "Published versions",
                "Minimum length of the empowerment notice inside the unit",
            ],
        ),
        ("/accounts/login/", ["Sign in", "E-mail", "Forgot your password?"]),
    ],
)
def test_page_content_follows_the_language(client, organisations, zh_text, url, msgids):
    chinese = _get(client, url, None)
    english = _get(client, url, "en")
    for msgid in msgids:
        assert zh_text[msgid] in chinese, f"{url} in Chinese lacks {zh_text[msgid]!r} ({msgid!r})"
        assert html.escape(msgid, quote=False) in english, f"{url} in English lacks {msgid!r}"


def test_organisation_names_follow_the_language(client, organisations):
    chinese = _get(client, "/organisations/", None)
    english = _get(client, "/organisations/", "en")
    assert '<span lang="zh-Hans">春城理工大学</span>' in chinese
    assert "Chuncheng University of Technology" in english
    assert "春城理工大学" not in english
    # Without an English name, the Chinese one is shown, marked as Chinese.
    assert '<span lang="zh-Hans">滇池生物医药研究院</span>' in english


def test_pages_in_chinese_and_english_for_a_signed_in_person(client, personas, zh_text):
    client.force_login(personas.transfer_office)
    for url in ["/office/", "/office/tokens/"]:
        chinese = _get(client, url, None)
        assert HTML_LANG.search(chinese).group("lang") == "zh-hans"
        assert zh_text["Back office"] in chinese and zh_text["Sign out"] in chinese
        english = _get(client, url, "en")
        assert HTML_LANG.search(english).group("lang") == "en"
        assert "Sign out" in english
        leaks = _cjk_leaks(english)
        assert not leaks, f"{url} in English shows Chinese: {leaks[:5]}"


def test_not_found_page_follows_the_language(client, db, zh_text):
    chinese = client.get("/no-such-page/")
    assert chinese.status_code == 404
    assert zh_text["This page does not exist."] in chinese.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/no-such-page/")
    assert english.status_code == 404
    assert "This page does not exist." in english.content.decode()
    assert not _cjk_leaks(english.content.decode())

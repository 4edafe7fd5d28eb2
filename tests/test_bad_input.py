"""Bad input never answers 500 (DESIGN rule 10): every page of the project and every operation of
the API, anonymous and signed in, is sent each malformed kind of id, page number and small
integer, in its path, its query string, its forms and its JSON body.

The routes are enumerated, not listed: a page or an operation added later is walked too. The
data are the demo's; one person holds every demo persona's memberships, so every role's pages
and forms are reached in one pass."""

from __future__ import annotations

import io
import itertools
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # beyond a 64-bit integer
# The malformed kinds of an id (or any small integer): not a number, a digit int() refuses,
# beyond the database's integers, zero, negative.
BAD_IDS = ("AAA", "²", HUGE, "0", "-1")
BAD_PAGES = ("10000000000000000000", "-1", "²")
# Query parameters the pages and the API read as ids, pages or small integers.
INTEGER_QUERY = (
    "unit",
    "trl",
    "year",
    "days",
    "achievement",
    "organisation",
    "organisation_id",
    "unit_id",
    "licensee",
    "id",
    "record",
    "matter",
    "discipline",
    "industry",
)
PAGE_QUERY = ("page", "own", "lic")
# Integers in a JSON body: the malformed kinds, and a day count no calendar holds.
BAD_BODY_INTEGERS = (10**20, 2**63, -1, 0, 3_000_000)
SKIPPED_PREFIXES = ("admin/", "api/", "i18n/", "accounts/")


def _bad_queries() -> list[dict[str, str]]:
    """Every page parameter malformed at once, then every id parameter (apart, so that a list
    refusing a malformed filter still has its page number read)."""
    pages = [dict.fromkeys(PAGE_QUERY, bad) for bad in BAD_PAGES]
    return pages + [dict.fromkeys(INTEGER_QUERY, bad) for bad in BAD_IDS]


# --- the project's pages -------------------------------------------------------------------


def _routes(patterns: list[Any], prefix: str = "") -> list[str]:
    found: list[str] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append(prefix + str(pattern.pattern))
    return found


PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
LIVE_CANDIDATES = {"int": ("1", "2", "3"), "str": ("xlsx", "pdf", "csv"), "path": ("x",)}
UUID = "00000000-0000-4000-8000-000000000000"


def _fill(route: str, values: dict[str, str]) -> str:
    return "/" + PARAM.sub(lambda m: values[m["name"]], route)


def _params(route: str) -> list[tuple[str, str]]:
    return [(m["name"], m["converter"] or "str") for m in PARAM.finditer(route)]


def _bad_path_values(converter: str) -> tuple[str, ...]:
    if converter == "int":  # the converter matches ASCII digits only
        return ("0", HUGE)
    if converter == "uuid":
        return ()
    return (*BAD_IDS, "AAA.pdf")


class _Forms(HTMLParser):
    """The POST forms of a page: their action and fields (name, value)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "option" and self._select and self.forms and a.get("value", "").isdigit():
            self.forms[-1][1].append((self._select, a["value"]))
            self._select = None
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self.forms.append((a.get("action", ""), []))
            else:
                self.forms.append(("<get>", []))
        elif not self.forms or not a.get("name"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "file"):
            self.forms[-1][1].append((a["name"], a.get("value", "")))
        elif tag in ("textarea",):
            self.forms[-1][1].append((a["name"], "x"))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "button" and a.get("value"):
            self.forms[-1][1].append((a["name"], a["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _forms_with_ids(html: str, page: str) -> list[tuple[str, list[tuple[str, str]]]]:
    parser = _Forms()
    parser.feed(html)
    forms = []
    for action, fields in parser.forms:
        if action == "<get>":
            continue
        if any(v.isascii() and v.isdigit() for n, v in fields if n != "csrfmiddlewaretoken"):
            forms.append((action or page, fields))
    return forms


@pytest.fixture
def demo(settings, tmp_path, django_user_model):
    """The demo's data, and one person with every demo persona's memberships."""
    from kttc.core.models import Membership

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", stdout=io.StringIO())
    everyone = django_user_model.objects.create_user(
        "everyone@test.kttc.example", "x-password-1234", full_name="every role"
    )
    for membership in Membership.objects.filter(revoked_at__isnull=True).select_related():
        Membership.objects.get_or_create(
            user=everyone, organisation=membership.organisation, role=membership.role
        )
    return everyone


def _check(response: Any, failures: list[str], what: str) -> None:
    if response.status_code >= 500:
        failures.append(f"{response.status_code} {what}")


def test_no_page_answers_a_server_error_to_malformed_ids_pages_or_integers(client, demo):
    client.raise_request_exception = False
    routes = [r for r in _routes(get_resolver().url_patterns) if not r.startswith(SKIPPED_PREFIXES)]
    assert len(routes) > 50
    anonymous = type(client)()
    anonymous.raise_request_exception = False
    client.force_login(demo)
    failures: list[str] = []
    for route in routes:
        params = _params(route)
        # 1. every path parameter malformed in turn, the others live-looking
        for name, converter in params:
            for bad in _bad_path_values(converter):
                live = {n: LIVE_CANDIDATES.get(c, (UUID,))[0] for n, c in params}
                url = _fill(route, live | {name: bad})
                _check(client.get(url), failures, f"GET {url}")
                if bad == HUGE:
                    _check(anonymous.get(url), failures, f"anonymous GET {url}")
        # 2. a live page (found among small ids) with malformed query strings and forms
        choices = [LIVE_CANDIDATES.get(c, (UUID,)) for _n, c in params]
        live_url, page = None, None
        for combination in itertools.product(*choices):
            url = _fill(route, dict(zip([n for n, _c in params], combination, strict=True)))
            response = client.get(url)
            _check(response, failures, f"GET {url}")
            if response.status_code == 200:
                live_url, page = url, response
                break
        if live_url is None or page is None:
            continue
        public = anonymous.get(live_url).status_code == 200
        html = "html" in page.get("Content-Type", "")
        # a download (a template, a PDF) is swept once; a page with every kind
        for query in _bad_queries() if html else _bad_queries()[-4:-3]:
            _check(client.get(live_url, query), failures, f"GET {live_url} {query}")
            if public:
                response = anonymous.get(live_url, query)
                _check(response, failures, f"anonymous GET {live_url} {query}")
        if not html:
            continue
        for action, fields in _forms_with_ids(page.content.decode(), live_url):
            for bad in BAD_IDS:
                data: dict[str, list[str]] = {}
                for name, value in fields:
                    numeric = value.isascii() and value.isdigit() and name != "csrfmiddlewaretoken"
                    data.setdefault(name, []).append(bad if numeric else value)
                _check(client.post(action, data), failures, f"POST {action} {data}")
    assert not failures, "\n".join(failures)


# --- the API -------------------------------------------------------------------------------


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def _sample(schema: dict[str, Any], spec: dict[str, Any], integer: int, depth: int = 0) -> Any:
    """A body in the schema's shape, every integer set to ``integer``."""
    schema = _resolve(schema, spec)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if _resolve(o, spec).get("type") != "null"]
            return _sample(options[0], spec, integer, depth) if options else None
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 3:
            return {}
        return {
            name: _sample(sub, spec, integer, depth + 1)
            for name, sub in schema.get("properties", {}).items()
        }
    if kind == "array":
        return [_sample(schema.get("items", {}), spec, integer, depth + 1)]
    if kind == "integer":
        return integer
    if kind == "number":
        return "100.00" if integer >= 0 else "-1"
    if kind == "boolean":
        return False
    if "enum" in schema:
        return schema["enum"][0]
    fmt = schema.get("format")
    if fmt == "date":
        return "2026-03-02"
    if fmt == "date-time":
        return "2026-03-02T10:00:00+08:00"
    if fmt == "email":
        return "enterprise@demo.kttc.example"
    return "x"


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            if method in ("get", "post", "put", "patch", "delete"):
                found.append((method, path, operation))
    return found


def _call(client: Any, method: str, url: str, query: dict[str, str], body: Any) -> Any:
    if query:
        url = url + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    if method == "get":
        return client.get(url)
    return getattr(client, method)(
        url, data={} if body is None else body, content_type="application/json"
    )


def test_no_api_operation_answers_a_server_error_to_malformed_ids_pages_or_integers(client, demo):
    spec = client.get("/api/v1/openapi.json").json()
    operations = _operations(spec)
    assert len(operations) > 50
    signed_in = type(client)()
    signed_in.force_login(demo)
    failures: list[str] = []
    for method, path, operation in operations:
        parameters = operation.get("parameters", [])
        in_path = [p["name"] for p in parameters if p["in"] == "path"]
        in_query = [p["name"] for p in parameters if p["in"] == "query"]
        content = operation.get("requestBody", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema")
        sane_body = _sample(schema, spec, 1) if schema else None
        public = not operation.get("security")
        callers = (signed_in, client) if public else (signed_in,)
        for bad in BAD_IDS:  # malformed ids in the path
            if in_path:
                url = re.sub(r"\{\w+\}", bad.replace("²", "%C2%B2"), path)
                for who in callers:
                    response = _call(who, method, url, {}, sane_body)
                    _check(response, failures, f"{method.upper()} {url}")
        # each query parameter malformed in turn, on a small live-looking id
        url = re.sub(r"\{\w+\}", "1", path)
        for name in in_query:
            for bad in dict.fromkeys((*BAD_IDS, *BAD_PAGES)) if name == "page" else BAD_IDS:
                query = {name: bad.replace("²", "%C2%B2")}
                for who in callers:
                    response = _call(who, method, url, query, sane_body)
                    _check(response, failures, f"{method.upper()} {url} {query}")
        # malformed integers in the body, on small live-looking ids
        if schema:
            for integer in BAD_BODY_INTEGERS:
                body = _sample(schema, spec, integer)
                for live in ("1", "2"):
                    url = re.sub(r"\{\w+\}", live, path)
                    response = _call(signed_in, method, url, {}, body)
                    _check(response, failures, f"{method.upper()} {url} {body}")
    assert not failures, "\n".join(failures)


def test_every_paginated_api_list_refuses_a_page_beyond_its_bound_naming_the_field(client, demo):
    spec = client.get("/api/v1/openapi.json").json()
    client.force_login(demo)
    paginated = [
        path
        for method, path, operation in _operations(spec)
        if method == "get" and any(p["name"] == "page" for p in operation.get("parameters", []))
    ]
    assert len(paginated) > 15
    for path in paginated:
        url = re.sub(r"\{\w+\}", "1", path)
        for bad in ("10000000000000000000", "0", "-1", "%C2%B2"):
            response = client.get(f"{url}?page={bad}")
            assert response.status_code == 422, (url, bad, response.content)
            error = response.json()["error"]
            assert (error["code"], error["field"]) == ("validation", "page"), (url, bad)


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/catalog/achievements?unit=AAA", "unit"),
        ("/api/v1/catalog/achievements?unit=99999999999999999999", "unit"),
        ("/api/v1/catalog/achievements?trl=%C2%B2", "trl"),
        ("/api/v1/catalog/achievements?year=%C2%B2", "year"),
        ("/api/v1/open-licensing?unit_id=99999999999999999999", "unit_id"),
        ("/api/v1/transactions?unit=%C2%B2", "unit"),
        ("/api/v1/transactions?unit=0", "unit"),
    ],
)
def test_a_malformed_filter_of_a_public_api_list_is_refused_naming_the_field(client, url, field):
    response = client.get(url)
    assert response.status_code == 422
    assert response.json()["error"]["field"].split(".")[0] == field


# --- the pages the issue names -------------------------------------------------------------

NAMED_LISTS = [
    "/achievements/?unit={bad}",
    "/achievements/?trl={bad}",
    "/achievements/?year={bad}",
    "/achievements/?page={bad}",
    "/open-licensing/?unit={bad}",
    "/transactions/?unit={bad}",
    "/transactions/?page={bad}",
]


def test_a_public_list_ignores_a_malformed_filter_or_page(client, demo):
    unfiltered = client.get("/open-licensing/").content.count(b"<tr")
    for pattern in NAMED_LISTS:
        for bad in ("AAA", "%C2%B2", HUGE, "0", "-1"):
            response = client.get(pattern.format(bad=bad))
            assert response.status_code == 200, (pattern, bad)
    assert client.get(f"/open-licensing/?unit={HUGE}").content.count(b"<tr") == unfiltered


def _persona(email: str) -> Any:
    from kttc.core.models import User

    return User.objects.get(email=email)


def test_forms_that_take_an_id_answer_404_to_a_malformed_one_and_change_nothing(client, demo):
    from kttc.core.models import Notification
    from kttc.reform.licensing.models import Licence

    office = _persona("office@demo.kttc.example")
    Notification.objects.create(
        recipient=office, subject="x", body="x", dedupe_key="bad-input", link=""
    )
    unread = Notification.objects.filter(recipient=office, read_at__isnull=True).count()
    licence = Licence.objects.get()
    for bad in BAD_IDS:
        client.force_login(office)
        response = client.post("/office/notifications/read/", {"id": bad})
        assert response.status_code == 404, bad
        client.force_login(_persona("enterprise@demo.kttc.example"))
        page = f"/office/licences/{licence.pk}/"
        assert client.post(page, {"action": "answer", "record": bad}).status_code == 404
        client.force_login(_persona("bureau@demo.kttc.example"))
        approvals = {"action": "approve", "matter": bad}
        assert client.post("/office/equity/approvals/", approvals).status_code == 404, bad
    assert Notification.objects.filter(recipient=office, read_at__isnull=True).count() == unread


def test_signed_in_pages_ignore_or_refuse_a_malformed_unit_or_number_of_days(client, demo):
    from kttc.registry.models import Achievement

    office = _persona("office@demo.kttc.example")
    client.force_login(office)
    before = Achievement.objects.count()
    for bad in ("AAA", "²", HUGE, "0", "-1"):
        assert client.get("/office/deadlines/", {"days": bad}).status_code == 200
        assert client.get("/office/registry/new/", {"unit": bad}).status_code == 200
        assert client.post("/office/registry/new/", {"unit": bad, "name": "x"}).status_code == 404
        assert client.post("/office/registry/import/", {"unit": bad}).status_code == 403
    assert Achievement.objects.count() == before


@pytest.mark.parametrize("bad", ["²", "9" * 20, "-1", "AAA", "1.5"])
def test_a_cap_table_line_with_a_malformed_share_count_is_refused_naming_its_line(bad):
    from django.forms import ValidationError

    from kttc.benefits.shareholding.forms import CapTableField

    field = CapTableField()
    assert field.clean("completer; 李明; 4,200")[0].stake == 4200
    with pytest.raises(ValidationError) as refused:
        field.clean(f"completer; 李明; 4200\nunit; 春城大学; {bad}")
    assert [e.params["line"] for e in refused.value.error_list] == [2]

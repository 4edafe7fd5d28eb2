"""The published OpenAPI document describes every operation with its own schemas: two schema
classes of one name in two API modules would collapse into one in the document, and an
operation would be documented with another's body."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

from config.api import api


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_every_api_schema_class_has_its_own_name():
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith(("kttc.", "config.")):
            by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    clashes = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert not clashes


def _body_fields(document: dict, path: str) -> set[str]:
    operation = document["paths"][path]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return set(document["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"])


def test_the_empowerment_and_licence_applications_are_documented_with_their_own_bodies():
    document = api.get_openapi_schema()
    empowerment = _body_fields(document, "/api/v1/empowerment/applications")
    licence = _body_fields(document, "/api/v1/licences/offers/{pk}/applications")
    assert {"achievement_id", "right", "plan"} <= empowerment
    assert "right" not in licence and "applicant_id" in licence

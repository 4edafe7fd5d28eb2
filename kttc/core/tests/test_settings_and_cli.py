"""Settings fail loudly; `check --deploy` is clean in production; the `kttc` command's verbs."""

from __future__ import annotations

import io
import os
import secrets
import subprocess
import sys

import pytest
from django.core.management import call_command

from kttc.cli import translate
from kttc.policy.clauses import CLAUSES


def _django(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "SECRET_KEY",
            "DATABASE_URL",
            "ALLOWED_HOSTS",
            "KTTC_ENV",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "env,message",
    [
        (
            {"KTTC_ENV": "production", "ALLOWED_HOSTS": "x", "DATABASE_URL": "sqlite:///var/x.db"},
            "SECRET_KEY must be set",
        ),
        (
            {
                "KTTC_ENV": "production",
                "SECRET_KEY": "short",
                "ALLOWED_HOSTS": "x",
                "DATABASE_URL": "sqlite:///var/x.db",
            },
            "at least 50 characters",
        ),
        (
            {"KTTC_ENV": "production", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "x"},
            "DATABASE_URL must be set",
        ),
        (
            {"KTTC_ENV": "development", "DATABASE_URL": "mysql://x/y"},
            "DATABASE_URL must start with",
        ),
        ({"KTTC_ENV": "staging"}, "KTTC_ENV must be one of"),
        ({"KTTC_ENV": "development", "DEBUG": "perhaps"}, "DEBUG must be true or false"),
    ],
)
def test_settings_refuse_missing_or_malformed_environment_loudly(env, message):
    result = _django(env, "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_pass_check_deploy():
    env = {
        "KTTC_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "kttc.example",
        "DATABASE_URL": "sqlite:///var/deploy-check.sqlite3",
    }
    result = _django(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr


def test_cli_maps_friendly_verbs_to_management_commands(monkeypatch):
    assert translate(["audit", "verify"]) == ["audit_verify"]
    assert translate(["policy", "clauses", "--missing"]) == ["policy_clauses", "--missing"]
    monkeypatch.setenv("PORT", "8123")
    assert translate(["serve"]) == ["runserver", "127.0.0.1:8123"]
    assert translate(["migrate", "--plan"]) == ["migrate", "--plan"]


def test_policy_clauses_lists_every_obligation_and_names_carriers():
    out = io.StringIO()
    call_command("policy_clauses", stdout=out)
    text = out.getvalue()
    for clause in CLAUSES:
        assert f"\n{clause} " in "\n" + text or text.startswith(f"{clause} ")
    assert "kttc/core/services.py" in text  # M14.1 is carried by audit_record
    assert f"{len(CLAUSES)} obligations:" in text
    assert "Not carried yet:" in text


def test_policy_clauses_attributes_citations_to_functions_and_tests():
    from django.conf import settings

    from kttc.core.citations import scan

    carriers = scan(settings.BASE_DIR)
    m14 = carriers["M14.1"]
    assert any(c.where == "audit_record" and c.path.endswith("services.py") for c in m14.code)
    assert any("test_m14_1" in c.where for c in m14.tests)


@pytest.mark.parametrize(
    ("env", "inline"),
    [
        ({"KTTC_ENV": "development", "DEBUG": "true"}, True),
        (
            {
                "KTTC_ENV": "production",
                "SECRET_KEY": secrets.token_urlsafe(64),
                "ALLOWED_HOSTS": "kttc.example",
                "DATABASE_URL": "sqlite:///var/deploy-check.sqlite3",
            },
            False,
        ),
    ],
)
def test_inline_styles_are_allowed_for_debug_pages_only_in_development(env, inline):
    code = "from django.conf import settings; print(settings.KTTC_CONTENT_SECURITY_POLICY)"
    result = _django(env, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert ("'unsafe-inline'" in result.stdout) is inline

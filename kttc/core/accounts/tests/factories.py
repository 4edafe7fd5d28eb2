"""What a sign-up form posts, and reading the link out of the e-mail it sends."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail

from kttc.core.tests.factories import credit_code

PASSWORD = "A-long-enough passphrase 42"


def chinese_form(n: int = 1, **changes: Any) -> dict[str, str]:
    return {
        "name": f"昆明新材料科技有限公司{n}",
        "name_en": f"Kunming New Materials {n}",
        "kind": "enterprise",
        "country": "CN",
        "credit_code": credit_code(5000 + n),
        "registration_number": "",
        "full_name": "李明",
        "email": f"li.ming{n}@example.cn",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "language": "zh-hans",
        **changes,
    }


def foreign_form(n: int = 1, **changes: Any) -> dict[str, str]:
    return {
        "name": f"Công ty Cổ phần Công nghệ Mekong {n}",
        "name_en": f"Mekong Technology JSC {n}",
        "kind": "enterprise",
        "country": "VN",
        "credit_code": "",
        "registration_number": f"0312 34567{n}",
        "full_name": "Nguyễn Văn An",
        "email": f"an{n}@mekong.example.vn",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "language": "en",
        **changes,
    }


def link_in_last_mail(to: str, path_part: str) -> str:
    """The path of the first link containing ``path_part`` in the last message to ``to``."""
    for message in reversed(mail.outbox):
        if to in message.to:
            found = re.search(r"https?://[^/\s]+(" + re.escape(path_part) + r"\S*)", message.body)
            assert found, message.body
            return found.group(1)
    raise AssertionError(f"no e-mail to {to}")

"""The Chinese labels of a result's coded values, as the national registration form and the
import template write them (发明专利, 已授权): each code with its labels, the first the one
offered. The import reads its cells by them; the result form's row editors read pasted lines by
them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Choices:
    """Values of a cell: each code with its Chinese labels (the first is the one offered)."""

    labels: dict[str, tuple[str, ...]]

    def offered(self) -> list[str]:
        return [names[0] for names in self.labels.values()]

    def code(self, text: str) -> str | None:
        return self._codes.get(text.lower())

    @cached_property
    def _codes(self) -> dict[str, str]:
        """Each code and label, lower-cased, to its code."""
        codes = {}
        for code, names in reversed(self.labels.items()):
            codes.update({n.lower(): code for n in names})
        return codes | {code: code for code in self.labels}


IP_KINDS = Choices(
    {
        "invention": ("发明专利",),
        "utility_model": ("实用新型专利", "实用新型"),
        "design": ("外观设计专利", "外观设计"),
        "software_copyright": ("软件著作权", "计算机软件著作权"),
        "plant_variety": ("植物新品种权", "植物新品种"),
        "other": ("其他",),
    }
)
IP_STATUSES = Choices(
    {
        "pending": ("申请中", "已受理", "审查中"),
        "granted": ("已授权", "已登记"),
        "lapsed": ("已失效", "失效"),
    }
)

__all__ = ["IP_KINDS", "IP_STATUSES", "Choices"]

"""The registry's writes as the parts above it call them (the reform, benefits and center parts,
their demos and tests): each lives in its mechanism's package, fiscal projects in
:mod:`kttc.registry.projects.services` (M4.1-M4.3), achievements in
:mod:`kttc.registry.achievements.services` (M8.6)."""

from kttc.registry.achievements.services import (
    achievement_create,
    achievement_publish,
    achievement_return,
    achievement_submit,
    achievement_update,
    achievement_withdraw,
)
from kttc.registry.projects.services import fiscal_project_accept, fiscal_project_create

__all__ = [
    "achievement_create",
    "achievement_publish",
    "achievement_return",
    "achievement_submit",
    "achievement_update",
    "achievement_withdraw",
    "fiscal_project_accept",
    "fiscal_project_create",
]

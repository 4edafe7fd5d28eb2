"""The ``kttc`` command: friendly names over Django's management commands.

kttc serve              serve on http://127.0.0.1:$PORT (8000 by default)
kttc web [ARGS]         the production server: gunicorn with config/gunicorn.py (ARGS to gunicorn)
kttc demo               load the demo organisations, personas and decisions (once)
kttc audit verify       walk the audit chain (M14.1); exit status 1 when a link is broken
kttc audit checkpoint   record the chain's head, signed, listed at /audit/checkpoints/
kttc audit baseline     seal the evidence rows no audit entry records yet (once, after upgrading)
kttc evidence pack N -o F.zip   the evidence pack of the decision of audit entry N (M14.1)
kttc evidence verify F.zip      verify an evidence pack (as its own verify.py does)
kttc policy clauses     every obligation id with the code and tests that carry it
kttc search embed       encode results that have no embedding yet (--follow: keep at it)
kttc search follow      keep this node's search index in step with the outbox (--once)
kttc sweep [--today D]  deadline reminders and overdue notices (each sent once), then e-mails
kttc statistics refresh rebuild the statistics' summary table (M13.3; the sweep does it daily)
kttc worker [--beat]    a task queue worker (KTTC_BROKER_URL); --beat: also the daily sweep
kttc backup DEST        the database, the documents and a manifest (folder, or DEST.tar)
kttc restore B [--force]  restore a backup, rebuild the search index, verify the audit chain
kttc <command> ...      any Django management command (migrate, createsuperuser, ...)
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    ("audit", "verify"): "audit_verify",
    ("audit", "checkpoint"): "audit_checkpoint",
    ("audit", "baseline"): "audit_baseline",
    ("evidence", "pack"): "evidence_pack",
    ("evidence", "verify"): "evidence_verify",
    ("policy", "clauses"): "policy_clauses",
    ("import", "achievements"): "import_achievements",
    ("export", "achievements"): "export_achievements",
    ("search", "rebuild"): "search_rebuild",
    ("search", "query"): "search_query",
    ("search", "embed"): "search_embed",
    ("search", "follow"): "search_follow",
    ("statistics", "refresh"): "statistics_refresh",
}


def translate(argv: list[str]) -> list[str]:
    """Map ``kttc audit verify --x`` to ``audit_verify --x``; pass everything else through."""
    if len(argv) >= 2 and (argv[0], argv[1]) in ALIASES:
        return [ALIASES[(argv[0], argv[1])], *argv[2:]]
    if argv and argv[0] == "serve":
        port = os.environ.get("PORT", "8000")
        rest = argv[1:] or [f"127.0.0.1:{port}"]
        return ["runserver", *rest]
    return argv


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help", "help"):
        print(__doc__)
        return
    if args[0] == "web":
        # The production WSGI server (README "Production shape"); replaces this process.
        command = [sys.executable, "-m", "gunicorn", "-c", "python:config.gunicorn"]
        os.execv(sys.executable, [*command, *args[1:], "config.wsgi"])  # noqa: S606 no shell
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kttc", *translate(args)])


if __name__ == "__main__":
    main()

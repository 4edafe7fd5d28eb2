"""The back office: one home for every role, the audit log, members, API tokens, deadlines."""

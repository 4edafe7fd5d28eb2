"""Core: organisations, people, roles, policy versions, the audit chain (M14.1), API tokens."""

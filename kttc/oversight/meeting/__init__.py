"""The joint meeting for major achievement transformation (M13.1) and the tasks its decisions
are broken into (M13.2)."""

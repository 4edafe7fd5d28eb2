"""Units' periodic reports on their transformation of results (M13.3)."""

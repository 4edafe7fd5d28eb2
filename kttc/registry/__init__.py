"""Fiscal projects, achievements, IP rights and their submission (汇交) (M4.1-M4.3, M8.6)."""

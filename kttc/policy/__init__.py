"""The rules of the Kunming measures as pure Python functions.

Nothing in this package imports Django or touches a database (import-linter enforces it), so that
every rule can be read, tested and type-checked on its own. Each function's docstring starts with
the obligation ids of ``MEASURES.md`` it implements.
"""

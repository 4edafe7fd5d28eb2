"""Signing in and out and resetting a password."""

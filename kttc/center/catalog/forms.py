"""Forms of this part's pages."""

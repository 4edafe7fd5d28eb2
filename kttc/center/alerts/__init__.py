"""Saved searches and followed fields (M8.2, M8.3): a person keeps a catalog search or follows a
discipline or an industry, and hears once a day of the results (and demands) new since."""

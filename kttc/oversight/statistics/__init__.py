"""The bureau's picture (M13.3): figures of every mechanism by unit, industry, field, month and
country, for the bureau and auditors, and the public statistics page."""

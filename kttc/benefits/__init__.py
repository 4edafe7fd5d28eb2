"""Part 2, benefit distribution: contracts and income, researcher shareholding,
invest first equity later (M5-M7)."""

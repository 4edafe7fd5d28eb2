"""Part 1, mechanism reform: empowerment, licensing, time-limited transformation,
state assets (M1-M4)."""

"""The charts' value axis (M13.3): whole numbers in round steps, whatever the figures."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from kttc.oversight.statistics.charts import ticks


@given(top=st.floats(min_value=0, max_value=1e12, allow_nan=False), most=st.integers(2, 8))
def test_m13_3_the_value_axis_is_labelled_in_whole_round_steps(top: float, most: int) -> None:
    """A chart's value axis starts at 0, reaches its largest bar in at most ``most`` equal whole
    steps: a count of 1 is never labelled 0, 0, 1, 1."""
    labels = ticks(top, most)
    steps = {b - a for a, b in itertools.pairwise(labels)}
    assert labels[0] == 0 and labels[-1] >= top and len(steps) == 1
    assert len(labels) - 1 <= most and all(isinstance(v, int) for v in labels)

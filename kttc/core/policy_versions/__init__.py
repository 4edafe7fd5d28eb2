"""V.1: versions of the policy parameters, the day the measures took effect, and the bureau's
pages for them."""

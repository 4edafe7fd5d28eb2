"""The part's API operations under ``/api/v1/``: parse input, call one service, shape output."""

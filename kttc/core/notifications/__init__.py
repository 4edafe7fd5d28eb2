"""Notifications (DESIGN rule 5): notices stored once per person, sent by e-mail in digests,
read on the back office's notifications page."""

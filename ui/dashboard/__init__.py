"""The Dashboard area of the window."""

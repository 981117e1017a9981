"""The Matches area of the window."""

"""The Sync and accounts area of the window."""

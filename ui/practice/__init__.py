"""The Practice area of the window."""

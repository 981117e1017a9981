"""The Sync and accounts area of the window.

- ``panel.SyncPanel``: the Sync tab and the toolbar's Sync button (badge of changes waiting).
- ``controller.SyncController``: runs ``sync.engine.SyncEngine`` in a worker; state for the widgets.
- ``status_view``: online/offline line, progress per provider, Cancel, the summary.
- ``accounts``: the Accounts screen and the connect-again dialog; one card per provider
  (``password_card``: team server, yoga cloud; ``whoop_card``; ``reboot_card``), each an
  ``account_card.AccountCard``.
- ``conflicts``: records changed on both sides (kept versions), dismissable.
- ``share_dialog.ShareDialog(ctx, match_id, parent)``: a synced match's read-only link + QR code.
"""

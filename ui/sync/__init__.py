"""The Sync and accounts area of the window.

- ``panel.SyncPanel``: the Sync tab and the toolbar's Sync button (badge of changes waiting).
- ``controller.SyncController``: runs ``sync.engine.SyncEngine`` in a worker; state for the widgets.
- ``status_view``: online/offline line, progress per provider, Cancel, the summary.
- ``accounts``: the Accounts screen (team server, yoga cloud, WHOOP; ``reboot_card`` for Reboot).
- ``conflicts``: records changed on both sides (kept versions), dismissable.
- ``share_dialog.ShareDialog(ctx, match_id, parent)``: a synced match's read-only link + QR code.
"""

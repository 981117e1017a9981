"""Practice sessions (no Qt): the session service, guided sequences, the live run, snapshots.

- :mod:`app.practice.service` ``PracticeService`` stores sessions and held poses (any thread).
- :mod:`app.practice.sequences` the sequence JSON format, built-in and user sequences.
- :mod:`app.practice.run` ``PracticeRun`` turns analysed frames into sessions (worker thread).
- :mod:`app.practice.snapshots` ``save_snapshot`` (the only place a frame is ever written).
- :mod:`app.practice.user_poses` the user's own poses ("Teach a pose"): load, create, delete.
"""

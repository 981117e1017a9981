"""Typed errors of the Fieldmat core.

Exception tree::

    FieldmatError
    ├── ConfigError                 settings file unreadable or invalid
    ├── DatabaseError
    │   ├── DatabaseUnreadable      not a SQLite file / corrupt; the file is left untouched
    │   └── DatabaseTooNew          written by a newer Fieldmat; the file is left untouched
    ├── NotFound                    a record asked for by id does not exist
    ├── ValidationError             input rejected before anything was written
    └── ImportRejected              an import file is malformed; nothing was written
"""

from __future__ import annotations


class FieldmatError(Exception):
    """Base of every error the core raises on purpose; its message is shown to the user."""


class ConfigError(FieldmatError):
    pass


class DatabaseError(FieldmatError):
    pass


class DatabaseUnreadable(DatabaseError):
    pass


class DatabaseTooNew(DatabaseError):
    pass


class NotFound(FieldmatError):
    pass


class ValidationError(FieldmatError):
    pass


class ImportRejected(ValidationError):
    pass

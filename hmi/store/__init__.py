"""Batch store: SQLAlchemy tables with the origin's names, migrations, repository."""

from hmi.store.database import DatabaseError, create_database_engine, migrate
from hmi.store.instance_lock import InstanceConflict, LineInstanceLock
from hmi.store.repository import BatchStore, DuplicateMo, ReadingResult, TableNotEmpty
from hmi.store.runner import DbRunner

__all__ = [
    "BatchStore",
    "DatabaseError",
    "DbRunner",
    "DuplicateMo",
    "InstanceConflict",
    "LineInstanceLock",
    "ReadingResult",
    "TableNotEmpty",
    "create_database_engine",
    "migrate",
]

"""A commit is on disk when it returns: SQLite FULL+WAL on every connection.

The sync commits its pending rows before it writes the PLC; after a power cut those rows must
still be there (docs/reliability.md, "Durability").
"""

from __future__ import annotations

from hmi.store import create_database_engine, migrate


def test_every_sqlite_connection_is_synchronous_full_with_wal(tmp_path):
    engine = create_database_engine(f"sqlite:///{tmp_path / 'durable.db'}")
    try:
        migrate(engine)
        # Several connections open at once (each a new DBAPI connection), then fresh ones after a dispose.
        seen = []
        for _ in range(2):
            connections = [engine.connect() for _ in range(3)]
            try:
                for c in connections:
                    seen.append((c.exec_driver_sql("PRAGMA synchronous").scalar(),
                                 c.exec_driver_sql("PRAGMA journal_mode").scalar()))
                    c.commit()  # ends the BEGIN IMMEDIATE so the next connection can begin; keeps it open
                assert len({id(c.connection.dbapi_connection) for c in connections}) == 3
            finally:
                for c in connections:
                    c.close()
            engine.dispose()
        assert seen == [(2, "wal")] * 6  # 2 = FULL
    finally:
        engine.dispose()

import sqlite3 as _sqlite3

OPENED = []


class _Recorded(_sqlite3.Connection):
    closed = False

    def close(self):
        self.closed = True
        super().close()


class _RecordingSqlite3:
    def __getattr__(self, name):
        return getattr(_sqlite3, name)

    def connect(self, *args, **kwargs):
        connection = _sqlite3.connect(*args, factory=_Recorded, **kwargs)
        OPENED.append(connection)
        return connection


with _sqlite3.connect(DATABASE) as _setup:
    _setup.execute("CREATE TABLE book (id INTEGER PRIMARY KEY, title TEXT)")
    _setup.execute("INSERT INTO book VALUES (1, 'Dune')")
_setup.close()
sqlite3 = _RecordingSqlite3()

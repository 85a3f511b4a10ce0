"""The application context every use-case runs in: settings plus a lazily opened store.

`open_context(settings)` is cheap (no connection, no import of the migrations); the engine is
created and the schema migrated on first use of `ctx.engine`, `ctx.begin()` or `ctx.read()`.
Every database or file-system failure inside those leaves as `StoreError` (exit 3) with the
transaction rolled back, so a face never sees SQLAlchemy.

Usage from another service::

    with ctx.begin() as conn:          # one write transaction per use-case
        repository_function(conn=conn, ...)
    with ctx.read() as conn:           # a read-only transaction (deferred on SQLite)
        ...
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from crampwise import faults
from crampwise.config import Settings
from crampwise.domain.errors import NotSetUp, StoreError


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unreadable URL>"


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# What to do about SQLite's terse failures (a hostile disk): its message -> the advice added.
_ADVICE = (
    ("database is locked", "another program is writing to it and did not finish in time; try again later"),
    ("database or disk is full", "the disk is full; free some space and try again (nothing was written)"),
    ("disk i/o error", "the disk failed or is full; free some space or check the disk (nothing was written)"),
    ("readonly database", "the store is read-only; make its file and folder writable"),
    ("unable to open database file", "the store's file or folder cannot be opened for writing (read-only?)"),
    ("file is not a database", "the file is damaged or not a crampwise store; restore a backup"),
    ("database disk image is malformed", "the file is damaged; restore a backup (crampwise restore FILE)"),
)


def _advice(message: str) -> str:
    lowered = message.lower()
    for needle, advice in _ADVICE:
        if needle in lowered:
            return f"{message}: {advice}"
    return message


@contextmanager
def store_errors(url: str) -> Iterator[None]:
    """Map SQLAlchemy and OS failures to `StoreError` naming the (password-free) store URL,
    with what to do about it where the failure says (a full disk, a read-only or damaged file)."""
    try:
        yield
    except ArgumentError as exc:
        raise StoreError(f"cannot use database URL {_safe_url(url)!r}: {_first_line(exc)}") from exc
    except SQLAlchemyError as exc:
        raise StoreError(f"store {_safe_url(url)}: {_advice(_first_line(exc))}") from exc
    except OSError as exc:
        where = exc.filename or _safe_url(url)
        raise StoreError(f"{where}: {_advice(str(exc.strerror or exc))}") from exc


def _private_folder(folder: Path) -> None:
    """The user's crampwise data folder is theirs alone (0700), like the store in it."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o077:
        folder.chmod(0o700)


class AppContext:
    """Settings and the store of one invocation (a CLI command, a web request's app)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        """The store's engine, created and migrated to the newest schema on first use."""
        if self._engine is None:
            from crampwise.storage.engine import make_engine
            from crampwise.storage.migrate import upgrade

            url = self.settings.database_url
            with store_errors(url):
                if self.settings.default_store:
                    _private_folder(self.settings.data_dir)
                engine = make_engine(url)
                try:
                    upgrade(engine)
                except BaseException:
                    engine.dispose()
                    raise
            self._engine = engine
        return self._engine

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        engine = self.engine
        with store_errors(self.settings.database_url), engine.begin() as conn:
            yield conn
        faults.checkpoint("committed")

    def require_store(self) -> None:
        """`NotSetUp` (a `NotFound`, exit 2) when the store is a SQLite file that does not exist yet.

        A command that only reads must not create an empty store where the user expected theirs
        (a mistyped `--db`, a first run): it says so instead.
        """
        if self._engine is not None:
            return
        from crampwise.storage.engine import sqlite_file, store_exists

        url = self.settings.database_url
        with store_errors(url):
            missing = not store_exists(url)
        if missing:
            raise NotSetUp(
                f"no crampwise store at {sqlite_file(url)} yet; start one with crampwise athlete add NAME "
                "(or try the demo: crampwise demo)"
            )

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction (does not take SQLite's write lock); a missing store is
        `NotFound`, never created."""
        self.require_store()
        engine = self.engine
        with (
            store_errors(self.settings.database_url),
            engine.connect().execution_options(crampwise_readonly=True) as conn,
            conn.begin(),
        ):
            yield conn

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> AppContext:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_context(settings: Settings) -> AppContext:
    """A context on `settings`; cheap until the store is first used. Use it as a context manager."""
    return AppContext(settings)

"""Alembic environment: runs on the connection crampwise passes in, or on `-x url=...`."""

from __future__ import annotations

from alembic import context

from crampwise.storage.engine import make_engine
from crampwise.storage.migrate import target_metadata


def _ours(name: str | None, type_: str, _parent_names: object) -> bool:
    """Leave the job queue's own tables (procrastinate's, see storage/queue.py) to it."""
    return not (type_ == "table" and (name or "").startswith("procrastinate_"))


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata(),
        include_name=_ours,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("crampwise migrations: pass the database with -x url=sqlite:///file.db")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("crampwise migrations run online only")
run_migrations_online()

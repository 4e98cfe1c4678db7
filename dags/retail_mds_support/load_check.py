"""The check of the loads since the DAG's previous run: files a pipe failed to load, or loaded
only in part, alert like a failed task.

A file that fails is skipped whole by the pipe (ON_ERROR = SKIP_FILE) and is not pending any
more, so the drain sensor cannot see it. This check reads the pipe's own account of each file:
the local pipe's load history (`pipe.load_history` in the DuckDB warehouse) on the `local`
profile, Snowflake's COPY_HISTORY table function on `snowflake`. It reads the window from the
end of the previous check to now, and remembers where it stopped in the report folder, so a
failed file is reported by one run, not by every run after it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from . import steps
from .settings import RunSettings

#: Statuses that alert. The local history uses these words; COPY_HISTORY says `Load failed`
#: and `Partially loaded`, which `_status_word` maps onto them. `CONFLICT` is the local pipe's:
#: a file changed after it was loaded under the same path, not loaded again (Snowpipe skips such
#: a file without a COPY_HISTORY row, so only the local profile can report it).
ALERTING_STATUSES = ("LOAD_FAILED", "PARTIALLY_LOADED", "CONFLICT")

#: COPY_HISTORY keeps 14 days; a first check (no previous run) reads all of them.
SNOWFLAKE_HISTORY_DAYS = 14

WATERMARK_FILE = "load-check.json"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _utc_wall(t: datetime) -> datetime:
    # The history's loaded_at is a UTC wall time (TIMESTAMP without zone), as the pipe writes it.
    return t.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class LoadFailure:
    """One file a pipe did not load whole, with its first error and where that error is."""

    pipe: str
    file: str
    status: str
    first_error: str | None
    line: int | None
    column: str | None
    rows_loaded: int
    error_count: int

    def describe(self) -> str:
        where = ", ".join(part for part in (self.line is not None and f"row {self.line}", self.column and f"column {self.column}") if part)
        error = self.first_error or "no error message recorded"
        return f"pipe {self.pipe}, file {self.file}: {self.status}, {self.error_count} error(s), {self.rows_loaded} row(s) loaded; first error{f' at {where}' if where else ''}: {error}"


class LoadFailures(Exception):
    """Files failed to load since the previous check; the message lists each one."""

    def __init__(self, failures: list[LoadFailure], since: datetime | None):
        self.failures = failures
        self.since = since
        window = f"since {since.isoformat()}" if since else "in the load history"
        lines = "\n".join(f"- {f.describe()}" for f in failures)
        super().__init__(f"{len(failures)} lake file(s) failed to load {window}:\n{lines}")


def _status_word(status: str) -> str:
    return re.sub(r"\s+", "_", status.strip().upper())


# --- where the previous check stopped ------------------------------------------------------------


def read_watermark(settings: RunSettings) -> datetime | None:
    path = settings.report_dir / WATERMARK_FILE
    if not path.is_file():
        return None
    return datetime.fromisoformat(json.loads(path.read_text())["checked_until"])


def write_watermark(settings: RunSettings, until: datetime) -> None:
    settings.report_dir.mkdir(parents=True, exist_ok=True)
    path = settings.report_dir / WATERMARK_FILE
    staged = path.with_suffix(".json.tmp")
    staged.write_text(json.dumps({"checked_until": until.isoformat()}))
    staged.replace(path)


# --- local profile: the local pipe's load history ------------------------------------------------


def local_failures(warehouse: Path, since: datetime | None, until: datetime) -> list[LoadFailure]:
    """Failed or partial loads in the local pipe's history with `since < loaded_at <= until`."""
    import duckdb

    if not warehouse.is_file():
        return []
    with duckdb.connect(str(warehouse), read_only=True) as db:
        has_history = db.execute(
            "select count(*) from information_schema.tables where table_schema = 'pipe' and table_name = 'load_history'"
        ).fetchone()[0]
        if not has_history:
            return []
        statuses = ", ".join(f"'{s}'" for s in ALERTING_STATUSES)
        rows = db.execute(
            f"""
            select table_schema, table_name, file_name, status, first_error_message,
                   first_error_line_number, first_error_column_name, row_count, error_count
            from pipe.load_history
            where status in ({statuses}) and loaded_at > ? and loaded_at <= ?
            order by loaded_at, file_name
            """,
            [_utc_wall(since or EPOCH), _utc_wall(until)],
        ).fetchall()
    return [
        LoadFailure(
            pipe=f"{schema}.{table}_pipe" if table else "(no table)",
            file=file,
            status=status,
            first_error=message,
            line=line,
            column=column,
            rows_loaded=rows_loaded,
            error_count=errors,
        )
        for schema, table, file, status, message, line, column, rows_loaded, errors in rows
    ]


# --- snowflake profile: COPY_HISTORY -------------------------------------------------------------

_IDENT = r'"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*'
_QUALIFIED = re.compile(rf"^(?:(?P<db>{_IDENT})\.)?(?:(?P<schema>{_IDENT})\.)?(?P<name>{_IDENT})$")

#: The COPY_HISTORY columns the check reads, as documented
#: (https://docs.snowflake.com/en/sql-reference/functions/copy_history).
COPY_HISTORY_COLUMNS = (
    "FILE_NAME",
    "STATUS",
    "FIRST_ERROR_MESSAGE",
    "FIRST_ERROR_LINE_NUMBER",
    "FIRST_ERROR_COLUMN_NAME",
    "ROW_COUNT",
    "ERROR_COUNT",
    "PIPE_CATALOG_NAME",
    "PIPE_SCHEMA_NAME",
    "PIPE_NAME",
    "LAST_LOAD_TIME",
)


def pipe_table(pipe: str) -> tuple[str | None, str]:
    """`(database, table)` loaded by a retail-mds pipe: the plan names each pipe `<TABLE>_PIPE`
    beside its table (src/snowflake/snowpipe-plan.ts), and COPY_HISTORY is asked per table."""
    m = _QUALIFIED.match(pipe)
    name = m and m.group("name")
    quoted = bool(name and name.startswith('"'))
    bare = name.strip('"') if name else ""
    if not m or not bare.upper().endswith("_PIPE") or len(bare) == len("_PIPE"):
        raise steps.ConfigurationError(f"pipe {pipe!r} in retail_mds_pipes is not named <TABLE>_PIPE, so its table is unknown; name it as `retail-mds ddl` does")
    table = bare[: -len("_PIPE")]
    table = f'"{table}"' if quoted else table
    prefix = ".".join(p for p in (m.group("db"), m.group("schema")) if p)
    return m.group("db"), f"{prefix}.{table}" if prefix else table


def copy_history_sql(database: str | None) -> str:
    """The query of one table's failed and partial loads in a window; binds table, start, end."""
    function = f"{database}.information_schema.copy_history" if database else "information_schema.copy_history"
    return (
        f"select {', '.join(c.lower() for c in COPY_HISTORY_COLUMNS)}\n"
        f"from table({function}(table_name => %(table)s, start_time => %(start)s::timestamp_ltz, end_time => %(end)s::timestamp_ltz))\n"
        "where upper(status) in ('LOAD FAILED', 'PARTIALLY LOADED')\n"
        "order by last_load_time, file_name"
    )


def copy_history_failures(pipe: str, rows: list[dict[str, Any]]) -> list[LoadFailure]:
    """The rows of one pipe's COPY_HISTORY (dicts keyed by the documented column names) that
    this pipe loaded (COPY_HISTORY also lists bulk COPY statements into the same table)."""
    own = pipe.split(".")[-1].strip('"').upper()
    out = []
    for r in rows:
        if (r.get("PIPE_NAME") or "").upper() != own:
            continue
        out.append(
            LoadFailure(
                pipe=pipe,
                file=r["FILE_NAME"],
                status=_status_word(r["STATUS"]),
                first_error=r.get("FIRST_ERROR_MESSAGE"),
                line=r.get("FIRST_ERROR_LINE_NUMBER"),
                column=r.get("FIRST_ERROR_COLUMN_NAME"),
                rows_loaded=int(r.get("ROW_COUNT") or 0),
                error_count=int(r.get("ERROR_COUNT") or 0),
            )
        )
    return out


def snowflake_failures(pipes: tuple[str, ...], since: datetime | None, until: datetime, connect) -> list[LoadFailure]:
    start = since or until - timedelta(days=SNOWFLAKE_HISTORY_DAYS)
    failures: list[LoadFailure] = []
    with connect() as conn, conn.cursor() as cur:
        for pipe in pipes:
            database, table = pipe_table(pipe)
            cur.execute(copy_history_sql(database), {"table": table, "start": start.isoformat(), "end": until.isoformat()})
            names = [d[0].upper() for d in cur.description]
            failures += copy_history_failures(pipe, [dict(zip(names, row, strict=True)) for row in cur.fetchall()])
    return failures


# --- the check -----------------------------------------------------------------------------------


def check_loads(settings: RunSettings, *, now: datetime | None = None, connect=None) -> dict[str, Any]:
    """Reads the loads since the previous check; raises `LoadFailures` when any file failed.

    The watermark moves on either way: the alert for a file is sent once.
    """
    since = read_watermark(settings)
    until = now or datetime.now(UTC)
    if settings.profile == "local":
        failures = local_failures(settings.warehouse, since, until)
    else:
        # Looked up at call time, so a deployment (or a test) can replace the connection.
        failures = snowflake_failures(settings.pipes, since, until, connect or steps.snowflake_connect)
    write_watermark(settings, until)
    if failures:
        raise LoadFailures(failures, since)
    return {"since": since.isoformat() if since else None, "until": until.isoformat(), "failed_files": 0}

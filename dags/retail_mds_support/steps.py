"""What each task of the `retail_mds` DAG does, as plain functions of the settings.

The tasks call the `retail-mds` CLI and dbt as child processes rather than importing them: the
CLI is Node, and dbt keeps process-wide state (adapters, logging, its manifest cache) that a
long-lived Airflow worker should not share between runs. A child process also gives the same
command line a person would type to reproduce a failure.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .settings import RunSettings

log = logging.getLogger(__name__)

#: How much of a failing command's output an error (and so an alert) carries.
TAIL_LINES = 20


class StepError(RuntimeError):
    """A step failed; the message names the command, its exit code and the end of its output."""

    def __init__(self, message: str, *, exit_code: int | None = None):
        super().__init__(message)
        self.exit_code = exit_code


class ConfigurationError(StepError):
    """A setting points to something missing (a folder, a program): retrying will not help."""


class QualityGateFailed(StepError):
    """The quality gate found error-severity failures: the data is wrong, retrying will not help."""


@dataclass(frozen=True)
class CommandResult:
    argv: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str

    def tail(self) -> str:
        text = (self.stderr.strip() or self.stdout.strip()).splitlines()
        return "\n".join(text[-TAIL_LINES:])


def run_command(argv: tuple[str, ...], *, cwd: Path, env: dict[str, str] | None = None) -> CommandResult:
    """Runs a command, logging its output; a missing program is a `ConfigurationError`."""
    if shutil.which(argv[0]) is None and not Path(argv[0]).exists():
        raise ConfigurationError(f"program {argv[0]!r} not found (command: {' '.join(argv)}); set the Variable that names it")
    log.info("running %s (in %s)", " ".join(argv), cwd)
    done = subprocess.run(argv, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        log.info("%s", line)
    for line in done.stderr.splitlines():
        log.info("[stderr] %s", line)
    return CommandResult(argv, done.returncode, done.stdout, done.stderr)


def check(result: CommandResult, what: str) -> CommandResult:
    if result.exit_code != 0:
        raise StepError(f"{what} failed (exit {result.exit_code}): {' '.join(result.argv)}\n{result.tail()}", exit_code=result.exit_code)
    return result


def require_lake(settings: RunSettings) -> None:
    if not settings.lake.is_dir():
        raise ConfigurationError(f"lake folder {settings.lake} does not exist; set the Variable retail_mds_lake")


# --- wait until landing is drained -------------------------------------------------------------


_LOAD_SUMMARY = re.compile(
    r"(?P<loaded>\d+) loaded, (?P<partially_loaded>\d+) partially loaded, (?P<failed>\d+) failed, "
    r"(?P<skipped>\d+) skipped, (?:(?P<conflicts>\d+) conflict\(s\), )?(?:(?P<reloaded>\d+) reloaded, )?"
    r"(?P<already_loaded>\d+) already loaded, (?P<ignored>\d+) ignored; (?P<rows>\d+) rows"
)


def local_drain(settings: RunSettings) -> dict[str, Any]:
    """Runs the local pipe over the lake (`retail-mds load`, Snowpipe's REFRESH): it loads every
    published file not yet in its load history, so when it returns nothing is pending.

    Exit 1 means some files failed and were skipped whole (ON_ERROR = SKIP_FILE), or changed
    after they were loaded (a conflict: not loaded again, as on Snowpipe): they are not pending
    any more; the run goes on, check_loads alerts and the report lists them.
    """
    require_lake(settings)
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    argv = (*settings.cli, "load", "--lake", str(settings.lake), "--database", str(settings.warehouse))
    result = run_command(argv, cwd=settings.home)
    match = _LOAD_SUMMARY.search(result.stdout)
    if result.exit_code not in (0, 1) or match is None:
        raise StepError(
            f"the local pipe failed (exit {result.exit_code}): {' '.join(argv)}\n{result.tail() or 'no load summary in its output'}",
            exit_code=result.exit_code,
        )
    # Conflicts and reloads are counted by newer CLIs only.
    summary = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    if summary["failed"]:
        log.warning("%d lake file(s) failed to load and were skipped whole; see the task log", summary["failed"])
    if summary.get("conflicts"):
        log.warning(
            "%d lake file(s) changed after they were loaded and were not loaded again; "
            "reload each with `retail-mds load --reload <path>`",
            summary["conflicts"],
        )
    return {"profile": "local", "pending": 0, **summary}


_PIPE_NAME = re.compile(r'^("[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)(\.("[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)){0,2}$')


def pending_files(status_json: str, pipe: str) -> int:
    """`pendingFileCount` from the JSON text SYSTEM$PIPE_STATUS returns, checking the pipe runs."""
    status = json.loads(status_json)
    state = status.get("executionState")
    if state not in (None, "RUNNING"):
        # A paused or stalled pipe never drains: waiting, or retrying, would only hit the timeout.
        raise ConfigurationError(f"pipe {pipe} is {state}, not RUNNING: {status.get('error') or status_json[:200]}")
    return int(status.get("pendingFileCount", 0))


def snowflake_connect():
    """A connection from the SNOWFLAKE_* environment variables the dbt `snowflake` profile uses."""
    import snowflake.connector

    key = os.environ.get("SNOWFLAKE_PRIVATE_KEY_PATH")
    secret = (
        {"private_key_file": key, "private_key_file_pwd": os.environ.get("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE") or None}
        if key
        else {"password": os.environ.get("SNOWFLAKE_PASSWORD")}
    )
    return snowflake.connector.connect(
        account=os.environ["SNOWFLAKE_ACCOUNT"],
        user=os.environ["SNOWFLAKE_USER"],
        role=os.environ.get("SNOWFLAKE_ROLE") or None,
        warehouse=os.environ.get("SNOWFLAKE_WAREHOUSE"),
        **secret,
    )


def snowflake_pending(settings: RunSettings, connect=None) -> dict[str, int]:
    """Pending file count of each pipe, from SYSTEM$PIPE_STATUS, over the connection the dbt
    `snowflake` profile uses (the SNOWFLAKE_* environment variables)."""
    for pipe in settings.pipes:
        if not _PIPE_NAME.match(pipe):
            raise ConfigurationError(f"pipe name {pipe!r} in retail_mds_pipes is not a [db.][schema.]pipe identifier")
    if connect is None:
        connect = snowflake_connect
    pending: dict[str, int] = {}
    with connect() as conn, conn.cursor() as cur:
        for pipe in settings.pipes:
            cur.execute("select system$pipe_status(%s)", (pipe,))
            pending[pipe] = pending_files(cur.fetchone()[0], pipe)
    return pending


# --- dbt build ----------------------------------------------------------------------------------


def dbt_build(settings: RunSettings, run_dir: Path) -> dict[str, Any]:
    """`dbt build` on the profile's target; run_results.json summarised for the report.

    After a first successful build, runs use the project's `scheduled` selector against the
    manifest that build left in `settings.dbt_state_dir`: views are re-created only when their
    definition changed (new data never makes a view stale), everything else runs as usual. A
    failed build forgets that state, so the next attempt builds everything: a view dropped or a
    warehouse restored from an older copy heals on the retry.
    """
    state = settings.dbt_state_dir
    scheduled = (state / "manifest.json").is_file()
    target = run_dir / "dbt-target"
    argv = (
        *settings.dbt,
        "build",
        *(("--selector", "scheduled", "--state", str(state)) if scheduled else ()),
        "--project-dir",
        str(settings.dbt_project_dir),
        "--profiles-dir",
        str(settings.dbt_profiles_dir),
        "--target",
        settings.dbt_target,
        "--target-path",
        str(target),
        "--log-path",
        str(run_dir / "dbt-logs"),
    )
    # The `local` profile reads its DuckDB file from RETAIL_MDS_DUCKDB (dbt/profiles.yml).
    env = {"RETAIL_MDS_DUCKDB": str(settings.warehouse), "DBT_TARGET": settings.dbt_target}
    result = run_command(argv, cwd=settings.dbt_project_dir, env=env)
    summary = {**summarize_run_results(target / "run_results.json"), "selection": "scheduled" if scheduled else "everything"}
    if result.exit_code != 0:
        shutil.rmtree(state, ignore_errors=True)
        failed = ", ".join(summary["failed"][:10]) or "see the log"
        message = f"dbt build failed (exit {result.exit_code}); failed nodes: {failed}\n{result.tail()}"
        # Failing data tests are a verdict on the data; anything else (a model error, a lost
        # connection) may pass on the next attempt.
        if summary["failed"] and all(node.startswith("test.") for node in summary["failed"]):
            raise QualityGateFailed(message, exit_code=result.exit_code)
        raise StepError(message, exit_code=result.exit_code)
    save_state(target / "manifest.json", state)
    return summary


def save_state(manifest: Path, state: Path) -> None:
    """Keeps `manifest` as the state of the next scheduled build, replacing the old one whole."""
    state.mkdir(parents=True, exist_ok=True)
    staged = state / "manifest.json.tmp"
    shutil.copyfile(manifest, staged)
    staged.replace(state / "manifest.json")


def summarize_run_results(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"statuses": {}, "failed": [], "elapsed_seconds": None}
    results = json.loads(path.read_text())
    statuses: dict[str, int] = {}
    failed: list[str] = []
    for r in results.get("results", []):
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
        if r["status"] in ("error", "fail", "runtime error"):
            failed.append(r["unique_id"])
    return {"statuses": statuses, "failed": failed, "elapsed_seconds": results.get("elapsed_time")}


# --- quality gate -------------------------------------------------------------------------------


def quality_gate(settings: RunSettings, run_dir: Path) -> dict[str, Any]:
    """`retail-mds quality` over the lake; exit 1 means error-severity failures: the gate shuts."""
    require_lake(settings)
    report = run_dir / "quality.json"
    argv = (*settings.cli, "quality", "--lake", str(settings.lake), "--json")
    result = run_command(argv, cwd=settings.home)
    report.write_text(result.stdout)
    failing = failing_rules(result.stdout)
    if result.exit_code == 1:
        names = ", ".join(failing[:10]) or "see the report"
        raise QualityGateFailed(f"quality gate: error-severity rules failed in {settings.lake}: {names} (report: {report})", exit_code=1)
    check(result, "the quality check (retail-mds quality)")
    return {"report": str(report), "failing_error_rules": failing}


def dbt_test_verdict(dbt_summary: dict[str, Any]) -> dict[str, Any]:
    """The gate on the snowflake profile, where the lake is not a local folder: the verdict of
    dbt's tests (the same rules compiled to SQL). A failing error-severity test has already
    stopped `dbt build`; here the warnings are counted for the report."""
    statuses = dbt_summary.get("statuses", {})
    if dbt_summary.get("failed"):
        raise QualityGateFailed(f"quality gate: dbt tests failed: {', '.join(dbt_summary['failed'][:10])}")
    return {"source": "dbt tests", "warnings": statuses.get("warn", 0)}


def failing_rules(report_json: str) -> list[str]:
    """`entity.rule (n failed)` for each error-severity rule that failed, from `quality --json`."""
    try:
        report = json.loads(report_json)
    except ValueError:
        return []
    return [
        f"{r['entity']}.{rule['rule']} ({rule['failed']} failed)"
        for r in report.get("reports", [])
        for rule in r.get("rules", [])
        if rule.get("severity") == "error" and rule.get("failed", 0) > 0
    ]


# --- publish the report -------------------------------------------------------------------------


def publish_report(settings: RunSettings, run_dir: Path, run_id: str, parts: dict[str, Any]) -> Path:
    """Writes the run's summary beside its artefacts and points `latest` at it, atomically."""
    summary = {"run_id": run_id, "profile": settings.profile, **parts}
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2, default=str))
    latest = settings.report_dir / "latest.json"
    tmp = latest.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({**summary, "folder": str(run_dir)}, indent=2, default=str))
    tmp.replace(latest)
    return run_dir / "summary.json"


def run_folder(settings: RunSettings, run_id: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", run_id)
    folder = settings.report_dir / safe
    folder.mkdir(parents=True, exist_ok=True)
    return folder

"""Settings of the `retail_mds` DAG.

Two kinds: those the scheduler needs while parsing the file (timezone, retries) come from the
environment only, because reading Airflow Variables at parse time hits the metadata database on
every parse; those the tasks need at run time come from Airflow Variables (which also read
`AIRFLOW_VAR_<NAME>` environment variables), with defaults for the local profile.
"""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

#: The repository root when the DAG runs from a checkout (dags/ sits beside dbt/ and dist/).
REPO_ROOT = Path(__file__).resolve().parents[2]

PROFILES = ("local", "snowflake")
#: What a file that failed to load does to the run: fail it (default) or only alert.
LOAD_FAILURE_MODES = ("fail", "warn")


class SettingError(ValueError):
    """A setting has a value the DAG cannot use; the message names the setting and the value."""


@dataclass(frozen=True)
class ScheduleSettings:
    """What the scheduler needs at parse time."""

    timezone: str
    retries: int
    retry_delay_seconds: int
    max_retry_delay_seconds: int


@dataclass(frozen=True)
class RunSettings:
    """What the tasks need at run time."""

    profile: str
    home: Path
    lake: Path
    warehouse: Path
    report_dir: Path
    cli: tuple[str, ...]
    dbt: tuple[str, ...]
    dbt_project_dir: Path
    dbt_profiles_dir: Path
    #: The manifest of the last successful `dbt build`, which scheduled runs compare against.
    dbt_state_dir: Path
    pipes: tuple[str, ...]
    #: `fail`: a file that failed to load since the previous run fails the run; `warn`: alert only.
    load_failures: str = "fail"

    @property
    def dbt_target(self) -> str:
        return self.profile


def _int_env(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingError(f"{name} must be a whole number; got {raw!r}") from None
    if value < minimum:
        raise SettingError(f"{name} must be at least {minimum}; got {value}")
    return value


def schedule_settings() -> ScheduleSettings:
    """Reads the parse-time settings from `RETAIL_MDS_TIMEZONE`, `RETAIL_MDS_RETRIES`..."""
    import pendulum

    timezone = os.environ.get("RETAIL_MDS_TIMEZONE") or "UTC"
    try:
        pendulum.timezone(timezone)
    except Exception:
        raise SettingError(f"RETAIL_MDS_TIMEZONE must be an IANA time zone such as Europe/Paris; got {timezone!r}") from None
    return ScheduleSettings(
        timezone=timezone,
        retries=_int_env("RETAIL_MDS_RETRIES", 3, 0),
        retry_delay_seconds=_int_env("RETAIL_MDS_RETRY_DELAY_SECONDS", 120, 1),
        max_retry_delay_seconds=_int_env("RETAIL_MDS_MAX_RETRY_DELAY_SECONDS", 1800, 1),
    )


def _default_cli(home: Path) -> str:
    # A built checkout runs dist/cli.js; an installed package (the Docker image) has `retail-mds`.
    built = home / "dist" / "cli.js"
    return f"node {shlex.quote(str(built))}" if built.exists() else "retail-mds"


def _default_dbt() -> str:
    # dbt installed beside this interpreter (the project's .venv, or the image's Python).
    beside = Path(sys.executable).parent / "dbt"
    return shlex.quote(str(beside)) if beside.exists() else "dbt"


def run_settings(get=None) -> RunSettings:
    """Reads the run-time settings; `get(key, default)` defaults to `airflow.sdk.Variable.get`.

    Variables (all optional): `retail_mds_profile` (local|snowflake), `retail_mds_home`,
    `retail_mds_lake`, `retail_mds_warehouse`, `retail_mds_report_dir`, `retail_mds_cli`,
    `retail_mds_dbt`, `retail_mds_dbt_project_dir`, `retail_mds_dbt_profiles_dir`,
    `retail_mds_dbt_state_dir` (default: `dbt-state` beside the warehouse file),
    `retail_mds_pipes` (comma-separated fully qualified pipe names, snowflake profile),
    `retail_mds_load_failures` (fail|warn: what a file that failed to load does to the run).
    """
    if get is None:
        from airflow.sdk import Variable

        def get(key: str, default: str) -> str:
            return Variable.get(key, default=default)

    home = Path(get("retail_mds_home", os.environ.get("RETAIL_MDS_HOME", str(REPO_ROOT))))
    profile = get("retail_mds_profile", "local")
    if profile not in PROFILES:
        raise SettingError(f"Variable retail_mds_profile must be one of {', '.join(PROFILES)}; got {profile!r}")

    def path(key: str, default: Path) -> Path:
        value = Path(get(key, str(default)))
        return value if value.is_absolute() else home / value

    def command(key: str, default: str) -> tuple[str, ...]:
        raw = get(key, default)
        parts = tuple(shlex.split(raw))
        if not parts:
            raise SettingError(f"Variable {key} must be a command; got {raw!r}")
        return parts

    pipes = tuple(p.strip() for p in get("retail_mds_pipes", "").split(",") if p.strip())
    if profile == "snowflake" and not pipes:
        raise SettingError("Variable retail_mds_pipes must list the Snowpipe names (db.schema.pipe, comma-separated) on the snowflake profile")
    load_failures = get("retail_mds_load_failures", "fail")
    if load_failures not in LOAD_FAILURE_MODES:
        raise SettingError(f"Variable retail_mds_load_failures must be one of {', '.join(LOAD_FAILURE_MODES)}; got {load_failures!r}")
    warehouse = path("retail_mds_warehouse", home / "warehouse" / "retail.duckdb")
    return RunSettings(
        profile=profile,
        home=home,
        lake=path("retail_mds_lake", home / "lake"),
        warehouse=warehouse,
        report_dir=path("retail_mds_report_dir", home / "reports"),
        cli=command("retail_mds_cli", _default_cli(home)),
        dbt=command("retail_mds_dbt", _default_dbt()),
        dbt_project_dir=path("retail_mds_dbt_project_dir", home / "dbt"),
        dbt_profiles_dir=path("retail_mds_dbt_profiles_dir", home / "dbt"),
        # Beside the warehouse it describes: wiping the warehouse folder wipes the state too.
        dbt_state_dir=path("retail_mds_dbt_state_dir", warehouse.parent / "dbt-state"),
        pipes=pipes,
        load_failures=load_failures,
    )

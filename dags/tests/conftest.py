"""Airflow for the tests: a throw-away AIRFLOW_HOME with a SQLite metadata database.

The environment is set here, at import, because Airflow reads its configuration once, when
`airflow` is first imported, and pytest imports this file before any test module.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

DAGS = Path(__file__).resolve().parents[1]
HOME = Path(tempfile.mkdtemp(prefix="retail-mds-airflow-"))
os.environ["AIRFLOW_HOME"] = str(HOME)
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAGS)
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__UNIT_TEST_MODE"] = "False"
os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = f"sqlite:///{HOME / 'airflow.db'}"
os.environ["AIRFLOW__API__BASE_URL"] = "http://airflow.test:8080"
os.environ["AIRFLOW__LOGGING__LOGGING_LEVEL"] = "WARNING"
# The DAG folder is on Airflow's import path when it parses; the tests import it the same way.
sys.path.insert(0, str(DAGS))

import shutil  # noqa: E402
import subprocess  # noqa: E402

import pytest  # noqa: E402
from retail_mds_support.settings import REPO_ROOT, run_settings  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def airflow_db():
    from airflow.utils import db

    db.initdb()
    yield HOME


@pytest.fixture(scope="session")
def dag_bag(airflow_db):
    from airflow.models.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS), include_examples=False)


@pytest.fixture
def exception_in_failure_context(monkeypatch):
    """Gives `dag.test()` the context a worker gives the failure callbacks.

    A worker's task runner sets `context["exception"]` before it calls the callbacks
    (airflow/sdk/execution_time/task_runner.py, `main`); the in-process runner behind
    `dag.test()` in Airflow 3.1.8 (supervisor.py, `run_task_in_process`) does not. This wraps
    that one call so that the alert under test sees what it sees in production.
    """
    from airflow.sdk.execution_time import task_runner

    original = task_runner.finalize

    def finalize(ti, state, context, log, error=None):
        context["exception"] = error
        return original(ti, state, context, log, error)

    monkeypatch.setattr(task_runner, "finalize", finalize)


TSX = REPO_ROOT / "node_modules" / ".bin" / "tsx"
CLI = f"{TSX} {REPO_ROOT / 'src' / 'cli' / 'main.ts'}"


@pytest.fixture(scope="session")
def generated_lake(tmp_path_factory) -> Path:
    """One small simulated day, generated once for the session by `retail-mds generate`."""
    lake = tmp_path_factory.mktemp("generated") / "lake"
    subprocess.run(
        [str(TSX), str(REPO_ROOT / "src" / "cli" / "main.ts"), "generate", "--out", str(lake), "--from", "2026-11-02", "--days", "1", "--stores", "2", "--products", "40", "--seed", "7"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    return lake


@pytest.fixture
def local_profile(generated_lake, tmp_path, monkeypatch):
    lake = tmp_path / "lake"
    shutil.copytree(generated_lake, lake)
    values = {
        "RETAIL_MDS_HOME": str(REPO_ROOT),
        "RETAIL_MDS_LAKE": str(lake),
        "RETAIL_MDS_WAREHOUSE": str(tmp_path / "warehouse" / "retail.duckdb"),
        "RETAIL_MDS_REPORT_DIR": str(tmp_path / "reports"),
        "RETAIL_MDS_CLI": CLI,
    }
    for key, value in values.items():
        monkeypatch.setenv(f"AIRFLOW_VAR_{key}", value)
    return run_settings(lambda key, default: values.get(key.upper(), default))

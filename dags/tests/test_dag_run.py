"""The whole DAG on the local profile, with the real CLI, DuckDB and dbt, on generated data."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from retail_mds_support import steps


def test_dag_test_runs_drain_dbt_build_quality_gate_and_publishes_the_report(dag_bag, local_profile):
    run = dag_bag.get_dag("retail_mds").test()

    assert run.state == "success"
    latest = json.loads((local_profile.report_dir / "latest.json").read_text())
    assert latest["run_id"] == run.run_id
    summary = json.loads((Path(latest["folder"]) / "summary.json").read_text())
    landing = summary["landing"]
    assert landing["profile"] == "local"
    assert landing["loaded"] > 0 and landing["failed"] == 0 and landing["pending"] == 0
    assert summary["dbt"]["failed"] == []
    assert summary["dbt"]["statuses"]["success"] > 0 and summary["dbt"]["statuses"]["pass"] > 0
    assert summary["quality"]["failing_error_rules"] == []
    assert json.loads(Path(summary["quality"]["report"]).read_text())["ok"] is True
    with duckdb.connect(str(local_profile.warehouse), read_only=True) as db:
        sales = db.execute("select count(*) from gold.fct_sales").fetchone()[0]
    assert sales > 0


def test_the_quality_gate_shuts_on_an_error_severity_failure(local_profile, tmp_path):
    # A sale line without its key, in a file the writer could have named: the schema rule fails.
    bad = local_profile.lake / "sale_line" / "dt=2026-11-02" / "hour=09" / "sale_line-20261102T0900Z-20261102T0905Z-00099.ndjson"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text(json.dumps({"sale_line_id": None, "quantity": -1}) + "\n")
    run_dir = steps.run_folder(local_profile, "manual__gate")

    with pytest.raises(steps.QualityGateFailed) as shut:
        steps.quality_gate(local_profile, run_dir)

    assert str(shut.value).startswith(f"quality gate: error-severity rules failed in {local_profile.lake}: sale_line.")
    assert json.loads((run_dir / "quality.json").read_text())["ok"] is False


def test_builds_after_the_first_skip_unchanged_views_and_a_failure_forgets_the_state(local_profile):
    steps.local_drain(local_profile)
    state = local_profile.dbt_state_dir / "manifest.json"

    def build(run_id: str) -> tuple[dict, dict[str, str]]:
        run_dir = steps.run_folder(local_profile, run_id)
        summary = steps.dbt_build(local_profile, run_dir)
        results = json.loads((run_dir / "dbt-target" / "run_results.json").read_text())["results"]
        return summary, {r["unique_id"]: r["status"] for r in results}

    first, first_nodes = build("manual__first")
    assert first["selection"] == "everything" and state.is_file()
    assert "model.retail_mds.brz_store" in first_nodes

    second, second_nodes = build("manual__second")
    assert second["selection"] == "scheduled" and second["failed"] == []
    assert "model.retail_mds.brz_store" not in second_nodes
    assert "model.retail_mds.fct_sales" in second_nodes
    # Every data test of the first build ran again, those on the views included; the unit tests
    # of unchanged views did not (their SQL did not change), the others did.
    def of_kind(nodes: dict[str, str], kind: str) -> set[str]:
        return {n for n in nodes if n.startswith(f"{kind}.")}

    assert of_kind(second_nodes, "test") == of_kind(first_nodes, "test")
    unit_tests = of_kind(second_nodes, "unit_test")
    assert unit_tests and unit_tests == {n for n in of_kind(first_nodes, "unit_test") if "_unified." not in n}

    # A view lost from the warehouse: the scheduled build cannot see it is gone and fails, the
    # failure forgets the state, and the retry builds everything again.
    with duckdb.connect(str(local_profile.warehouse)) as db:
        db.execute("drop view bronze.brz_store")
    with pytest.raises(steps.StepError, match="slv_store"):
        build("manual__third")
    assert not state.exists()
    retry, retry_nodes = build("manual__retry")
    assert retry["selection"] == "everything" and retry["failed"] == []
    assert retry_nodes["model.retail_mds.brz_store"] == "success" and state.is_file()

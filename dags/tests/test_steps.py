from __future__ import annotations

import json
import types

import pytest
from retail_mds_support import steps
from retail_mds_support.alerts import webhook_url
from retail_mds_support.settings import SettingError, run_settings, schedule_settings


def settings_from(values: dict[str, str]):
    return run_settings(lambda key, default: values.get(key, default))


def test_run_settings_default_to_the_local_profile_under_the_home_folder(tmp_path):
    s = settings_from({"retail_mds_home": str(tmp_path), "retail_mds_cli": "node dist/cli.js"})
    assert s.profile == "local"
    assert s.lake == tmp_path / "lake"
    assert s.warehouse == tmp_path / "warehouse" / "retail.duckdb"
    assert s.dbt_project_dir == tmp_path / "dbt"
    assert s.dbt_target == "local"
    assert s.cli == ("node", "dist/cli.js")


def test_a_bad_profile_or_a_snowflake_profile_without_pipes_is_refused(tmp_path):
    with pytest.raises(SettingError) as bad:
        settings_from({"retail_mds_profile": "bigquery"})
    assert str(bad.value) == "Variable retail_mds_profile must be one of local, snowflake; got 'bigquery'"
    with pytest.raises(SettingError, match="retail_mds_pipes must list the Snowpipe names"):
        settings_from({"retail_mds_profile": "snowflake"})


def test_schedule_settings_reject_an_unknown_timezone_and_bad_numbers(monkeypatch):
    monkeypatch.setenv("RETAIL_MDS_TIMEZONE", "Mars/Olympus")
    with pytest.raises(SettingError, match="RETAIL_MDS_TIMEZONE must be an IANA time zone"):
        schedule_settings()
    monkeypatch.setenv("RETAIL_MDS_TIMEZONE", "Europe/Paris")
    monkeypatch.setenv("RETAIL_MDS_RETRIES", "three")
    with pytest.raises(SettingError) as bad:
        schedule_settings()
    assert str(bad.value) == "RETAIL_MDS_RETRIES must be a whole number; got 'three'"


def test_pipe_status_counts_pending_files_and_refuses_a_paused_pipe():
    assert steps.pending_files(json.dumps({"executionState": "RUNNING", "pendingFileCount": 3}), "raw.p") == 3
    assert steps.pending_files(json.dumps({"executionState": "RUNNING", "pendingFileCount": 0}), "raw.p") == 0
    with pytest.raises(steps.ConfigurationError, match="pipe raw.p is PAUSED, not RUNNING"):
        steps.pending_files(json.dumps({"executionState": "PAUSED", "pendingFileCount": 5}), "raw.p")


class FakeCursor:
    """Stands in for a Snowflake cursor: no Snowflake account here, and fakesnow has no pipes."""

    def __init__(self, statuses):
        self.statuses, self.calls = statuses, []

    def execute(self, sql, params):
        self.calls.append((sql, params))

    def fetchone(self):
        return (json.dumps(self.statuses[self.calls[-1][1][0]]),)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


def test_snowflake_pending_binds_each_pipe_name_and_rejects_an_unsafe_one(tmp_path):
    cursor = FakeCursor({"RAW.LANDING.SALE_LINE_PIPE": {"executionState": "RUNNING", "pendingFileCount": 2}})

    class Connection:
        def __enter__(self):
            return types.SimpleNamespace(cursor=lambda: cursor)

        def __exit__(self, *exc):
            pass

    s = settings_from({"retail_mds_profile": "snowflake", "retail_mds_pipes": "RAW.LANDING.SALE_LINE_PIPE"})
    assert steps.snowflake_pending(s, connect=Connection) == {"RAW.LANDING.SALE_LINE_PIPE": 2}
    assert cursor.calls == [("select system$pipe_status(%s)", ("RAW.LANDING.SALE_LINE_PIPE",))]
    unsafe = settings_from({"retail_mds_profile": "snowflake", "retail_mds_pipes": "x'); drop table t; --"})
    with pytest.raises(steps.ConfigurationError, match="is not a \\[db.\\]\\[schema.\\]pipe identifier"):
        steps.snowflake_pending(unsafe, connect=Connection)


def test_webhook_url_reads_both_connection_forms():
    uri_form = types.SimpleNamespace(conn_id="w", conn_type="https", host="hooks.slack.com", port=None, schema="services/T/B/X")
    json_form = types.SimpleNamespace(conn_id="w", conn_type="http", host="https://prod.westeurope.logic.azure.com/workflows/1", port=None, schema=None)
    assert webhook_url(uri_form) == "https://hooks.slack.com/services/T/B/X"
    assert webhook_url(json_form) == "https://prod.westeurope.logic.azure.com/workflows/1"


def test_load_failures_is_fail_by_default_and_only_fail_or_warn(tmp_path):
    assert settings_from({"retail_mds_home": str(tmp_path)}).load_failures == "fail"
    assert settings_from({"retail_mds_load_failures": "warn"}).load_failures == "warn"
    with pytest.raises(SettingError) as bad:
        settings_from({"retail_mds_load_failures": "ignore"})
    assert str(bad.value) == "Variable retail_mds_load_failures must be one of fail, warn; got 'ignore'"

"""A lake file the pipe fails to load alerts like a failed task, on both profiles.

Local: the real CLI loads a generated lake plus one Parquet file whose second row does not fit
the RAW table; the check reads the local pipe's load history in the real DuckDB file. Snowflake:
there is no Snowflake here and fakesnow has no COPY_HISTORY, so the connection is a DB-API
stand-in answering SYSTEM$PIPE_STATUS and COPY_HISTORY with rows of the documented columns; what
is checked is the query sent and what the alert says. Both go through the real notifiers to the
local HTTP and SMTP servers.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import duckdb
import pytest
from http_sink import HttpSink
from retail_mds_support import load_check, steps
from retail_mds_support.settings import run_settings
from smtp_sink import SmtpSink

BAD_FILE = "sale_line/dt=2026-11-02/hour=09/sale_line-20261102T0900Z-20261102T0905Z-00099.parquet"


def write_bad_sale_lines(lake) -> None:
    """Three sale lines; the second's quantity (3,000,000,000) does not fit the INTEGER column."""
    path = lake / BAD_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as db:
        db.execute(
            f"""copy (
              select 'T-S001-20261102-00000' || i as transaction_id, 1::BIGINT as line_no,
                     TIMESTAMP '2026-11-02 09:01:00' as sold_at, 'S001' as store_id, 'P000001' as sku,
                     null::VARCHAR as customer_id, (case when i = 2 then 3000000000 else 2 end)::BIGINT as quantity,
                     '1.50' as unit_price, '0.00' as discount_amount, '3.00' as net_amount, '0.50' as vat_amount,
                     'card' as payment_method, 'store' as channel, 'EUR' as currency
              from range(1, 4) t(i)
            ) to '{path}' (format parquet)"""
        )


def slack_hook(monkeypatch, sink: HttpSink) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_RETAIL_MDS_WEBHOOK", json.dumps({"conn_type": "http", "host": f"{sink.url}/hooks/slack"}))


def task_states(run) -> dict[str, str]:
    return {ti.task_id: str(ti.state) for ti in run.get_task_instances()}


def test_local_a_file_that_fails_to_load_alerts_on_slack_naming_pipe_file_error_row_and_column_and_fails_the_run(
    dag_bag, exception_in_failure_context, local_profile, monkeypatch
):
    write_bad_sale_lines(local_profile.lake)
    with HttpSink() as sink:
        slack_hook(monkeypatch, sink)
        run = dag_bag.get_dag("retail_mds").test()

    assert run.state == "failed"
    states = task_states(run)
    assert states["wait_for_landing_drained"] == "success"
    assert states["check_loads"] == "failed"
    assert states["dbt_build"] == "upstream_failed"
    [request] = sink.requests
    text = request["json"]["text"]
    assert text.startswith("Airflow: retail_mds.check_loads failed: AirflowFailException: 1 lake file(s) failed to load in the load history:")
    assert f"pipe raw.sale_line_pipe, file {BAD_FILE}: LOAD_FAILED" in text
    assert "first error at row 2, column quantity: " in text
    assert '"3000000000" is not a valid INTEGER' in text


def test_local_warn_mode_emails_the_alert_and_the_run_goes_on(dag_bag, exception_in_failure_context, local_profile, monkeypatch):
    from retail_mds_support.alerts import EmailNotifier

    write_bad_sale_lines(local_profile.lake)
    monkeypatch.setenv("AIRFLOW_VAR_RETAIL_MDS_LOAD_FAILURES", "warn")
    with SmtpSink() as sink:
        monkeypatch.setenv(
            "AIRFLOW_CONN_RETAIL_MDS_SMTP",
            json.dumps(
                {
                    "conn_type": "smtp",
                    "host": "127.0.0.1",
                    "port": sink.port,
                    "extra": {"disable_tls": True, "disable_ssl": True, "from_email": "airflow@retail.test", "retry_limit": 0},
                }
            ),
        )
        dag = dag_bag.get_dag("retail_mds")
        # Recipients are read from RETAIL_MDS_ALERT_EMAILS when the file is parsed; set them here.
        for t in dag.tasks:
            monkeypatch.setattr(t, "on_failure_callback", [EmailNotifier(to=["oncall@retail.test"])])
        run = dag.test()

    states = task_states(run)
    assert states["check_loads"] == "success"
    assert states["dbt_build"] != "upstream_failed"
    warning = next(m for m in sink.messages if m["message"]["Subject"] == "Airflow: retail_mds.check_loads warns")
    assert warning["to"] == ["oncall@retail.test"]
    body = next(p for p in warning["message"].walk() if p.get_content_type() == "text/html").get_content()
    assert f"pipe raw.sale_line_pipe, file {BAD_FILE}: LOAD_FAILED" in body
    assert "row 2, column quantity" in body


def test_local_a_failed_file_is_reported_by_one_check_not_by_every_later_one(local_profile):
    write_bad_sale_lines(local_profile.lake)
    steps.local_drain(local_profile)
    with pytest.raises(load_check.LoadFailures) as first:
        load_check.check_loads(local_profile)
    [failure] = first.value.failures
    assert (failure.pipe, failure.file, failure.status, failure.line, failure.column) == (
        "raw.sale_line_pipe",
        BAD_FILE,
        "LOAD_FAILED",
        2,
        "quantity",
    )
    # The next run's drain finds the file failed again (it still is), but the check reads only
    # what happened since it last looked.
    assert steps.local_drain(local_profile)["failed"] == 1
    assert load_check.check_loads(local_profile)["failed_files"] == 0


def test_local_a_file_changed_after_its_load_alerts_as_a_conflict(local_profile):
    steps.local_drain(local_profile)
    assert load_check.check_loads(local_profile)["failed_files"] == 0
    changed = sorted((local_profile.lake / "sale_line").rglob("*.parquet"))[0]
    staged = changed.with_name("changed.parquet.new")
    with duckdb.connect() as db:
        db.execute(f"copy (select * from read_parquet('{changed}') limit 1) to '{staged}' (format parquet)")
    staged.replace(changed)
    assert steps.local_drain(local_profile)["failed"] == 0
    with pytest.raises(load_check.LoadFailures) as raised:
        load_check.check_loads(local_profile)
    [failure] = raised.value.failures
    assert (failure.file, failure.status) == (str(changed.relative_to(local_profile.lake)), "CONFLICT")


# --- snowflake profile ---------------------------------------------------------------------------

PIPE = "RETAIL.RAW.SALE_LINE_PIPE"
#: Rows as COPY_HISTORY returns them (documented columns): one failed pipe load, one partial
#: load by a one-off COPY into the same table (not the pipe's: ignored).
COPY_HISTORY_ROWS = [
    {
        "FILE_NAME": "sale_line/dt=2026-11-02/hour=09/sale_line-20261102T0900Z-20261102T0905Z-00001.parquet",
        "STATUS": "Load failed",
        "FIRST_ERROR_MESSAGE": "Numeric value '3000000000' is out of range",
        "FIRST_ERROR_LINE_NUMBER": 2,
        "FIRST_ERROR_COLUMN_NAME": '"SALE_LINE"["QUANTITY":7]',
        "ROW_COUNT": 0,
        "ERROR_COUNT": 1,
        "PIPE_CATALOG_NAME": "RETAIL",
        "PIPE_SCHEMA_NAME": "RAW",
        "PIPE_NAME": "SALE_LINE_PIPE",
        "LAST_LOAD_TIME": datetime(2026, 11, 2, 9, 7, tzinfo=UTC),
    },
    {
        "FILE_NAME": "backfill/sale_line-old.parquet",
        "STATUS": "Partially loaded",
        "FIRST_ERROR_MESSAGE": "x",
        "FIRST_ERROR_LINE_NUMBER": 1,
        "FIRST_ERROR_COLUMN_NAME": None,
        "ROW_COUNT": 9,
        "ERROR_COUNT": 1,
        "PIPE_CATALOG_NAME": None,
        "PIPE_SCHEMA_NAME": None,
        "PIPE_NAME": None,
        "LAST_LOAD_TIME": datetime(2026, 11, 2, 9, 8, tzinfo=UTC),
    },
]


class FakeSnowflake:
    """A DB-API connection answering the two queries the DAG sends, recording them."""

    def __init__(self):
        self.executed: list[tuple[str, object]] = []
        self.description = None
        self._rows: list[tuple] = []

    def __call__(self):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def cursor(self):
        return self

    def execute(self, sql, params=None):
        self.executed.append((sql, params))
        if "system$pipe_status" in sql:
            self.description = [("STATUS",)]
            self._rows = [(json.dumps({"executionState": "RUNNING", "pendingFileCount": 0}),)]
        elif "copy_history" in sql:
            self.description = [(c,) for c in load_check.COPY_HISTORY_COLUMNS]
            self._rows = [tuple(r[c] for c in load_check.COPY_HISTORY_COLUMNS) for r in COPY_HISTORY_ROWS]
        else:
            raise AssertionError(f"unexpected query: {sql}")

    def fetchone(self):
        return self._rows[0]

    def fetchall(self):
        return self._rows


def test_snowflake_copy_history_query_reads_the_pipes_table_in_the_window():
    assert load_check.pipe_table(PIPE) == ("RETAIL", "RETAIL.RAW.SALE_LINE")
    assert load_check.copy_history_sql("RETAIL") == (
        "select file_name, status, first_error_message, first_error_line_number, first_error_column_name, "
        "row_count, error_count, pipe_catalog_name, pipe_schema_name, pipe_name, last_load_time\n"
        "from table(RETAIL.information_schema.copy_history(table_name => %(table)s, start_time => %(start)s::timestamp_ltz, end_time => %(end)s::timestamp_ltz))\n"
        "where upper(status) in ('LOAD FAILED', 'PARTIALLY LOADED')\n"
        "order by last_load_time, file_name"
    )
    with pytest.raises(steps.ConfigurationError, match="is not named <TABLE>_PIPE"):
        load_check.pipe_table("RETAIL.RAW.SALES_INGEST")


def test_snowflake_a_failed_pipe_load_posts_a_teams_alert_and_fails_the_run(dag_bag, exception_in_failure_context, monkeypatch, tmp_path):
    fake = FakeSnowflake()
    monkeypatch.setattr(steps, "snowflake_connect", fake)
    monkeypatch.setenv("AIRFLOW_VAR_RETAIL_MDS_PROFILE", "snowflake")
    monkeypatch.setenv("AIRFLOW_VAR_RETAIL_MDS_PIPES", PIPE)
    monkeypatch.setenv("AIRFLOW_VAR_RETAIL_MDS_REPORT_DIR", str(tmp_path / "reports"))
    with HttpSink() as sink:
        monkeypatch.setenv(
            "AIRFLOW_CONN_RETAIL_MDS_WEBHOOK",
            json.dumps({"conn_type": "http", "host": f"{sink.url}/workflows/teams", "extra": {"format": "teams"}}),
        )
        run = dag_bag.get_dag("retail_mds").test()

    assert run.state == "failed"
    assert task_states(run)["check_loads"] == "failed"
    [sql, params] = next(e for e in fake.executed if "copy_history" in e[0])
    assert sql == load_check.copy_history_sql("RETAIL")
    assert params["table"] == "RETAIL.RAW.SALE_LINE"
    # No previous check: the whole of COPY_HISTORY's 14 days.
    start, end = datetime.fromisoformat(params["start"]), datetime.fromisoformat(params["end"])
    assert end - start == timedelta(days=14)
    [request] = sink.requests
    card = request["json"]["attachments"][0]["content"]
    assert card["body"][0]["text"] == "Airflow: retail_mds.check_loads failed"
    error = card["body"][2]["text"]
    assert "1 lake file(s) failed to load" in error
    assert (
        f"pipe {PIPE}, file sale_line/dt=2026-11-02/hour=09/sale_line-20261102T0900Z-20261102T0905Z-00001.parquet: LOAD_FAILED, 1 error(s), 0 row(s) loaded; "
        "first error at row 2, column \"SALE_LINE\"[\"QUANTITY\":7]: Numeric value '3000000000' is out of range"
    ) in error
    assert "backfill" not in error
    # The next run reads from where this check stopped.
    settings = run_settings(lambda key, default: {"retail_mds_profile": "snowflake", "retail_mds_pipes": PIPE, "retail_mds_report_dir": str(tmp_path / "reports")}.get(key, default))
    assert load_check.read_watermark(settings) == end

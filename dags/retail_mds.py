"""The `retail_mds` DAG: twice a day, once landing is drained, build the warehouse with dbt,
gate on data quality and publish the run's report.

    wait_for_landing_drained >> check_loads >> dbt_build >> quality_gate >> publish_report

Profiles (Variable `retail_mds_profile`): `local` waits for the local pipe (DuckDB) to have
loaded every published lake file; `snowflake` waits until SYSTEM$PIPE_STATUS reports no pending
file on every pipe. `check_loads` then reads what the pipes did since the previous run (the
local pipe's load history, or COPY_HISTORY): a file that failed to load, or loaded only in part,
sends the failure alert naming the pipe, the file and its first error, and fails the run
(Variable `retail_mds_load_failures=warn`: alerts and goes on). See docs/deploy.md for the settings and docs/architecture.md for the flow.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pendulum
from airflow.exceptions import AirflowFailException
from airflow.sdk import PokeReturnValue, dag, get_current_context, task
from retail_mds_support import steps
from retail_mds_support.alerts import EmailNotifier, WebhookNotifier, notify_warning
from retail_mds_support.load_check import LoadFailures
from retail_mds_support.load_check import check_loads as check_pipe_loads
from retail_mds_support.settings import run_settings, schedule_settings

SCHEDULE = schedule_settings()
ALERT_EMAILS = [a.strip() for a in os.environ.get("RETAIL_MDS_ALERT_EMAILS", "").split(",") if a.strip()]
FAILURE_NOTIFIERS = [WebhookNotifier(), EmailNotifier(to=ALERT_EMAILS)]


def _settings():
    try:
        return run_settings()
    except ValueError as error:
        raise AirflowFailException(str(error)) from error


def _run_dir(settings):
    return steps.run_folder(settings, get_current_context()["run_id"])


def _no_retry_on(error: steps.StepError):
    # Missing configuration or bad data will be just as wrong on the next attempt.
    if isinstance(error, (steps.ConfigurationError, steps.QualityGateFailed)):
        raise AirflowFailException(str(error)) from error
    raise error


@dag(
    dag_id="retail_mds",
    description="Landing drained -> dbt build -> quality gate -> report, twice a day",
    schedule="0 6,18 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz=pendulum.timezone(SCHEDULE.timezone)),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=4),
    tags=["retail-mds"],
    default_args={
        "owner": "retail-mds",
        "retries": SCHEDULE.retries,
        "retry_delay": timedelta(seconds=SCHEDULE.retry_delay_seconds),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(seconds=SCHEDULE.max_retry_delay_seconds),
        "on_failure_callback": FAILURE_NOTIFIERS,
    },
    doc_md=__doc__,
)
def retail_mds():
    @task.sensor(poke_interval=60, timeout=2 * 60 * 60, mode="reschedule")
    def wait_for_landing_drained() -> PokeReturnValue:
        settings = _settings()
        try:
            if settings.profile == "local":
                return PokeReturnValue(is_done=True, xcom_value=steps.local_drain(settings))
            pending = steps.snowflake_pending(settings)
        except steps.StepError as error:
            _no_retry_on(error)
        return PokeReturnValue(is_done=sum(pending.values()) == 0, xcom_value={"profile": "snowflake", "pending": pending})

    @task
    def check_loads(drained: dict) -> dict:
        settings = _settings()
        try:
            return {**drained, "load_check": check_pipe_loads(settings)}
        except steps.StepError as error:
            _no_retry_on(error)
        except LoadFailures as failures:
            if settings.load_failures == "fail":
                # Not retried: the files stay failed; the alert goes out through on_failure_callback.
                raise AirflowFailException(str(failures)) from failures
            context = get_current_context()
            # The task's own failure notifiers: the same alert, through the same channels.
            notify_warning(context["task"].on_failure_callback, context, failures)
            return {**drained, "load_check": {"failed_files": len(failures.failures), "warned": str(failures)}}

    @task
    def dbt_build(drained: dict) -> dict:
        settings = _settings()
        try:
            return {"landing": drained, "dbt": steps.dbt_build(settings, _run_dir(settings))}
        except steps.StepError as error:
            _no_retry_on(error)

    @task
    def quality_gate(built: dict) -> dict:
        settings = _settings()
        try:
            if settings.profile == "local":
                return {**built, "quality": steps.quality_gate(settings, _run_dir(settings))}
            return {**built, "quality": steps.dbt_test_verdict(built["dbt"])}
        except steps.StepError as error:
            _no_retry_on(error)

    @task
    def publish_report(checked: dict) -> str:
        settings = _settings()
        run_id = get_current_context()["run_id"]
        return str(steps.publish_report(settings, _run_dir(settings), run_id, checked))

    publish_report(quality_gate(dbt_build(check_loads(wait_for_landing_drained()))))


retail_mds()

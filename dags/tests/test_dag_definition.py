from __future__ import annotations

from datetime import timedelta

import pendulum


def test_the_dag_folder_imports_without_errors(dag_bag):
    assert dag_bag.import_errors == {}
    assert sorted(dag_bag.dag_ids) == ["retail_mds"]


def test_schedule_runs_twice_a_day_without_catchup_one_run_at_a_time(dag_bag):
    dag = dag_bag.get_dag("retail_mds")
    assert dag.timetable.summary == "0 6,18 * * *"
    assert str(dag.timezone.name) == "UTC"
    assert dag.catchup is False
    assert dag.max_active_runs == 1


def test_tasks_run_in_order_drain_check_build_gate_publish(dag_bag):
    dag = dag_bag.get_dag("retail_mds")
    order = [t.task_id for t in dag.topological_sort()]
    assert order == ["wait_for_landing_drained", "check_loads", "dbt_build", "quality_gate", "publish_report"]
    assert dag.get_task("wait_for_landing_drained").mode == "reschedule"


def test_every_task_retries_with_exponential_backoff_and_alerts_on_failure(dag_bag):
    dag = dag_bag.get_dag("retail_mds")
    for t in dag.tasks:
        assert t.retries == 3
        assert t.retry_delay == timedelta(minutes=2)
        assert t.retry_exponential_backoff is True
        assert t.max_retry_delay == timedelta(minutes=30)
        kinds = sorted(type(n).__name__ for n in t.on_failure_callback)
        assert kinds == ["EmailNotifier", "WebhookNotifier"]


def test_timezone_and_retries_come_from_the_environment_at_parse_time(monkeypatch):
    from airflow.models.dagbag import DagBag
    from conftest import DAGS

    monkeypatch.setenv("RETAIL_MDS_TIMEZONE", "Europe/Paris")
    monkeypatch.setenv("RETAIL_MDS_RETRIES", "5")
    dag = DagBag(dag_folder=str(DAGS), include_examples=False).get_dag("retail_mds")
    assert dag.timezone.name == "Europe/Paris"
    # 06:00 in Paris on a winter day is 05:00 UTC.
    previous = dag.timetable._align_to_prev(pendulum.datetime(2026, 11, 2, 4, 0, tz="UTC"))
    after = dag.timetable._get_next(previous)
    assert after.in_timezone("UTC").isoformat() == "2026-11-02T05:00:00+00:00"
    assert {t.retries for t in dag.tasks} == {5}


def test_a_bad_timezone_is_an_import_error_naming_the_setting(monkeypatch):
    from airflow.models.dagbag import DagBag
    from conftest import DAGS

    monkeypatch.setenv("RETAIL_MDS_TIMEZONE", "Paris")
    bag = DagBag(dag_folder=str(DAGS), include_examples=False)
    [error] = bag.import_errors.values()
    assert "RETAIL_MDS_TIMEZONE must be an IANA time zone such as Europe/Paris; got 'Paris'" in error

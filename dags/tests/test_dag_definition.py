from __future__ import annotations

from datetime import timedelta


def test_the_dag_folder_imports_without_errors(dag_bag):
    assert dag_bag.import_errors == {}
    assert sorted(dag_bag.dag_ids) == ["retail_mds"]


def test_schedule_runs_twice_a_day_without_catchup_one_run_at_a_time(dag_bag):
    dag = dag_bag.get_dag("retail_mds")
    assert dag.timetable.summary == "0 6,18 * * *"
    assert str(dag.timezone.name) == "UTC"
    assert dag.catchup is False
    assert dag.max_active_runs == 1


def test_tasks_run_in_order_drain_build_gate_publish(dag_bag):
    dag = dag_bag.get_dag("retail_mds")
    order = [t.task_id for t in dag.topological_sort()]
    assert order == ["wait_for_landing_drained", "dbt_build", "quality_gate", "publish_report"]
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

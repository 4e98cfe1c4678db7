from __future__ import annotations

import json

from http_sink import HttpSink
from smtp_sink import SmtpSink


def test_a_failing_run_posts_a_slack_alert_naming_dag_task_run_log_and_error(dag_bag, exception_in_failure_context, monkeypatch, tmp_path):
    missing = tmp_path / "no-such-lake"
    with HttpSink() as sink:
        monkeypatch.setenv("AIRFLOW_CONN_RETAIL_MDS_WEBHOOK", json.dumps({"conn_type": "http", "host": f"{sink.url}/hooks/slack"}))
        monkeypatch.setenv("AIRFLOW_VAR_RETAIL_MDS_LAKE", str(missing))
        monkeypatch.setenv("AIRFLOW_VAR_RETAIL_MDS_REPORT_DIR", str(tmp_path / "reports"))
        run = dag_bag.get_dag("retail_mds").test()

    assert run.state == "failed"
    assert len(sink.requests) == 1
    request = sink.requests[0]
    assert request["path"] == "/hooks/slack"
    assert request["headers"]["Content-Type"] == "application/json"
    payload = request["json"]
    text = json.dumps(payload)
    assert payload["text"].startswith("Airflow: retail_mds.wait_for_landing_drained failed: AirflowFailException: lake folder ")
    assert str(missing) in payload["text"]
    assert f"*Run:* {run.run_id}" in text
    log_url = f"http://airflow.test:8080/dags/retail_mds/runs/{run.run_id.replace(':', '%3A').replace('+', '%2B')}/tasks/wait_for_landing_drained"
    assert log_url in text


def test_the_teams_format_posts_an_adaptive_card(dag_bag, exception_in_failure_context, monkeypatch, tmp_path):
    with HttpSink() as sink:
        monkeypatch.setenv(
            "AIRFLOW_CONN_RETAIL_MDS_WEBHOOK",
            json.dumps({"conn_type": "http", "host": f"{sink.url}/workflows/teams", "extra": {"format": "teams"}}),
        )
        monkeypatch.setenv("AIRFLOW_VAR_RETAIL_MDS_LAKE", str(tmp_path / "missing"))
        monkeypatch.setenv("AIRFLOW_VAR_RETAIL_MDS_REPORT_DIR", str(tmp_path / "reports"))
        run = dag_bag.get_dag("retail_mds").test()

    assert run.state == "failed"
    [request] = sink.requests
    attachment = request["json"]["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    facts = {f["title"]: f["value"] for f in card["body"][1]["facts"]}
    assert facts["DAG"] == "retail_mds"
    assert facts["Task"] == "wait_for_landing_drained"
    assert facts["Run"] == run.run_id
    assert card["actions"][0]["url"] == facts["Log"]
    assert "lake folder" in card["body"][2]["text"]


def test_a_failing_run_emails_the_alert_through_the_smtp_connection(dag_bag, exception_in_failure_context, monkeypatch, tmp_path):
    from retail_mds_support.alerts import EmailNotifier

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
        monkeypatch.setenv("AIRFLOW_VAR_RETAIL_MDS_LAKE", str(tmp_path / "missing"))
        monkeypatch.setenv("AIRFLOW_VAR_RETAIL_MDS_REPORT_DIR", str(tmp_path / "reports"))
        dag = dag_bag.get_dag("retail_mds")
        # Recipients are read from RETAIL_MDS_ALERT_EMAILS when the file is parsed; set them here.
        for t in dag.tasks:
            monkeypatch.setattr(t, "on_failure_callback", [EmailNotifier(to=["oncall@retail.test"])])
        run = dag.test()

    assert run.state == "failed"
    [sent] = sink.messages
    assert sent["to"] == ["oncall@retail.test"]
    message = sent["message"]
    assert message["Subject"] == "Airflow: retail_mds.wait_for_landing_drained failed"
    assert message["From"] == "airflow@retail.test"
    body = next(part for part in message.walk() if part.get_content_type() == "text/html").get_content()
    assert f"<td>{run.run_id}</td>" in body
    assert "href='http://airflow.test:8080/dags/retail_mds/runs/" in body
    assert "AirflowFailException: lake folder" in body

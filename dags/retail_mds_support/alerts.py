"""Failure alerts of the `retail_mds` DAG, as Airflow notifiers.

Both notifiers are configured through Airflow connections, so an environment sets them with
`AIRFLOW_CONN_RETAIL_MDS_WEBHOOK` and `AIRFLOW_CONN_RETAIL_MDS_SMTP` and the DAG file holds no
address or secret. A notifier whose connection is not defined logs that alerts are off and
returns: a deployment without a chat channel still runs. A delivery that fails raises, so the
failure shows in the task log.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from airflow.providers.smtp.notifications.smtp import SmtpNotifier
from airflow.sdk import BaseHook, BaseNotifier

WEBHOOK_CONN_ID = "retail_mds_webhook"
SMTP_CONN_ID = "retail_mds_smtp"
WEBHOOK_FORMATS = ("slack", "teams")
#: Context key a task sets to send the failure alert as a warning while it succeeds.
OUTCOME_KEY = "retail_mds_alert_outcome"


class AlertDeliveryError(RuntimeError):
    """The webhook answered with an error status; the message names the host and the status."""


@dataclass(frozen=True)
class FailureAlert:
    """What an alert says: which DAG, task and run failed, where its log is, and why."""

    dag_id: str
    task_id: str
    run_id: str
    log_url: str
    error: str
    try_number: int | None = None
    #: What happened to the task: `failed`, or `warns` for an alert sent by a task that succeeds.
    outcome: str = "failed"

    @classmethod
    def from_context(cls, context: Any) -> FailureAlert:
        ti = context.get("ti") or context.get("task_instance")
        dag = context.get("dag")
        exception = context.get("exception")
        return cls(
            dag_id=getattr(ti, "dag_id", None) or getattr(dag, "dag_id", "?"),
            task_id=getattr(ti, "task_id", "?"),
            run_id=str(context.get("run_id") or getattr(ti, "run_id", "?")),
            log_url=str(getattr(ti, "log_url", "")),
            # Only the exception's own text: a traceback would be long and can carry local values.
            error=f"{type(exception).__name__}: {exception}" if exception is not None else "(no exception recorded)",
            try_number=getattr(ti, "try_number", None),
            outcome=str(context.get(OUTCOME_KEY, "failed")),
        )

    @property
    def title(self) -> str:
        return f"Airflow: {self.dag_id}.{self.task_id} {self.outcome}"

    def lines(self) -> list[tuple[str, str]]:
        attempt = [("Attempt", str(self.try_number))] if self.try_number else []
        return [("DAG", self.dag_id), ("Task", self.task_id), ("Run", self.run_id), *attempt, ("Log", self.log_url), ("Error", self.error)]

    def slack_payload(self) -> dict[str, Any]:
        fields = "\n".join(f"*{k}:* {v}" for k, v in self.lines() if k not in ("Log", "Error"))
        return {
            "text": f"{self.title}: {self.error}",
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": self.title}},
                {"type": "section", "text": {"type": "mrkdwn", "text": fields}},
                {"type": "section", "text": {"type": "mrkdwn", "text": f"*Error:*\n```{self.error}```"}},
                {"type": "section", "text": {"type": "mrkdwn", "text": f"<{self.log_url}|Open the task log>"}},
            ],
        }

    def teams_payload(self) -> dict[str, Any]:
        # An Adaptive Card in a message: what Teams Workflows ("Post to a channel when a webhook
        # request is received") accepts, replacing the retired Office 365 connector cards.
        card = {
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard",
            "version": "1.4",
            "body": [
                {"type": "TextBlock", "text": self.title, "weight": "Bolder", "size": "Medium", "color": "Attention"},
                {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in self.lines() if k != "Error"]},
                {"type": "TextBlock", "text": self.error, "wrap": True, "fontType": "Monospace"},
            ],
            "actions": [{"type": "Action.OpenUrl", "title": "Open the task log", "url": self.log_url}],
        }
        return {
            "type": "message",
            "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}],
        }

    def email_html(self) -> str:
        rows = "".join(
            f"<tr><th align='left'>{html.escape(k)}</th><td>{_html_value(k, v)}</td></tr>" for k, v in self.lines()
        )
        return f"<h3>{html.escape(self.title)}</h3><table>{rows}</table>"


def notify_warning(notifiers, context: Any, error: Exception) -> None:
    """Sends the failure alert through `notifiers` (a task's `on_failure_callback`: one callback
    or a list) for a task that goes on: titled "warns", carrying `error` as a failure alert
    carries the task's exception."""
    warning = {**context, "exception": error, OUTCOME_KEY: "warns"}
    for notifier in notifiers if isinstance(notifiers, (list, tuple)) else [notifiers] if notifiers else []:
        notifier.notify(warning) if isinstance(notifier, BaseNotifier) else notifier(warning)


def _html_value(key: str, value: str) -> str:
    if key == "Log":
        return f"<a href='{html.escape(value, quote=True)}'>{html.escape(value)}</a>"
    if key == "Error":
        return f"<pre>{html.escape(value)}</pre>"
    return html.escape(value)


def _connection_or_none(conn_id: str):
    try:
        return BaseHook.get_connection(conn_id)
    except Exception as error:  # AirflowNotFoundException: its module moved between versions
        if "isn't defined" in str(error) or type(error).__name__ == "AirflowNotFoundException":
            return None
        raise


def webhook_url(conn) -> str:
    """The URL a webhook connection points to.

    Accepts the URI form (`AIRFLOW_CONN_RETAIL_MDS_WEBHOOK=https://host/path`, which Airflow
    splits into conn_type, host and schema) and the JSON form with the whole URL in `host`.
    """
    host = conn.host or ""
    if host.startswith(("http://", "https://")):
        return host
    scheme = conn.conn_type if conn.conn_type in ("http", "https") else "https"
    port = f":{conn.port}" if conn.port else ""
    path = f"/{conn.schema}" if conn.schema else ""
    if not host:
        raise ValueError(f"connection {conn.conn_id!r} has no host: set it to the webhook URL")
    return f"{scheme}://{host}{port}{path}"


class WebhookNotifier(BaseNotifier):
    """Posts a failure alert to a Slack or Teams incoming webhook.

    The connection (default `retail_mds_webhook`) holds the URL; its extra `format` chooses the
    payload, `slack` (default) or `teams`. Example:
    `AIRFLOW_CONN_RETAIL_MDS_WEBHOOK='{"conn_type": "http", "host": "https://hooks.slack.com/services/T/B/X"}'`
    """

    template_fields = ("conn_id",)

    def __init__(self, conn_id: str = WEBHOOK_CONN_ID, timeout_seconds: float = 10.0):
        super().__init__()
        self.conn_id = conn_id
        self.timeout_seconds = timeout_seconds

    def notify(self, context: Any) -> None:
        conn = _connection_or_none(self.conn_id)
        if conn is None:
            self.log.warning("connection %s is not defined: webhook alerts are off", self.conn_id)
            return
        extra = conn.extra_dejson or {}
        fmt = extra.get("format", "slack")
        if fmt not in WEBHOOK_FORMATS:
            raise ValueError(f"connection {self.conn_id!r}: extra.format must be one of {', '.join(WEBHOOK_FORMATS)}; got {fmt!r}")
        alert = FailureAlert.from_context(context)
        payload = alert.slack_payload() if fmt == "slack" else alert.teams_payload()
        url = webhook_url(conn)
        response = requests.post(
            url,
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
            timeout=self.timeout_seconds,
        )
        if response.status_code >= 300:
            # The URL itself is the secret of an incoming webhook: name only its host.
            raise AlertDeliveryError(f"webhook at {urlsplit(url).hostname} answered {response.status_code}: {response.text[:200]}")
        self.log.info("failure alert posted to the %s webhook at %s", fmt, urlsplit(url).hostname)


class EmailNotifier(SmtpNotifier):
    """E-mails a failure alert through the SMTP connection (default `retail_mds_smtp`).

    The connection holds host, port, login and password, and `from_email` in its extra, e.g.
    `AIRFLOW_CONN_RETAIL_MDS_SMTP='smtp://user:pass@smtp.example.com:587?from_email=airflow%40example.com'`.
    Recipients are given here (the DAG reads them from `RETAIL_MDS_ALERT_EMAILS`).
    """

    def __init__(self, to: list[str], conn_id: str = SMTP_CONN_ID):
        super().__init__(to=to, smtp_conn_id=conn_id, subject="", html_content="")

    def notify(self, context: Any) -> None:
        if not self.to:
            return
        if _connection_or_none(self.smtp_conn_id) is None:
            self.log.warning("connection %s is not defined: e-mail alerts are off", self.smtp_conn_id)
            return
        alert = FailureAlert.from_context(context)
        self.subject = alert.title
        self.html_content = alert.email_html()
        super().notify(context)

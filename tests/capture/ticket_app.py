"""A help-desk view that fails, run under `sentry-privacy-audit capture`.

    python3 ticket_app.py leaky|fixed

The pinned sentry-sdk (on PYTHONPATH) sends to SENTRY_DSN. A POST with the ticket form as its JSON
body goes through the SDK's own WSGI middleware; the view puts the conversation in `extra` and
raises with the ticket in its local variables. `leaky` is the configuration the review found
(send_default_pii on, request bodies, local variables); `fixed` turns them off and drops the
customer fields in before_send.
"""

import io
import json
import os
import sys

import sentry_sdk
from sentry_sdk.integrations._wsgi_common import RequestExtractor
from sentry_sdk.integrations.wsgi import SentryWsgiMiddleware

MODE = sys.argv[1]
CUSTOMER_FIELDS = ("ticket_data", "intake_content", "conversation_messages")


def drop_customer_fields(event, hint):
    for key in CUSTOMER_FIELDS:
        event.get("extra", {}).pop(key, None)
    return event


if MODE == "leaky":
    sentry_sdk.init(
        dsn=os.environ["SENTRY_DSN"],
        send_default_pii=True,
        max_request_body_size="always",
        include_local_variables=True,
    )
else:
    sentry_sdk.init(
        dsn=os.environ["SENTRY_DSN"],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=drop_customer_fields,
    )


class WsgiRequest(RequestExtractor):
    """What a framework integration (Flask, Django) gives the SDK: the request from the environ."""

    def __init__(self, environ, raw):
        RequestExtractor.__init__(self, environ)
        self._raw = raw

    def env(self):
        return self.request

    def cookies(self):
        pairs = (p.split("=", 1) for p in (self.request.get("HTTP_COOKIE") or "").split(";") if "=" in p)
        return {k.strip(): v.strip() for k, v in pairs}

    def raw_data(self):
        return self._raw

    def form(self):
        return {}

    def files(self):
        return {}

    def size_of_file(self, file):
        return 0


def escalate(ticket_data):
    intake_content = ticket_data["intake_content"]
    if intake_content:
        raise RuntimeError("could not escalate ticket 881")


def app(environ, start_response):
    raw = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))

    def attach_request(event, hint):
        WsgiRequest(environ, raw).extract_into_event(event)
        return event

    sentry_sdk.get_isolation_scope().add_event_processor(attach_request)
    sentry_sdk.set_extra("conversation_messages", ["Can you reset the fuser on floor 3?"])
    escalate(json.loads(raw))
    start_response("200 OK", [])
    return [b"ok"]


body = json.dumps(
    {"ticket_data": {"subject": "Printer offline"}, "intake_content": "My printer on floor 3 shows error 0x45"}
).encode()
environ = {
    "REQUEST_METHOD": "POST",
    "SCRIPT_NAME": "",
    "PATH_INFO": "/tickets/881/escalate",
    "QUERY_STRING": "",
    "SERVER_NAME": "api.helpdesk.example",
    "SERVER_PORT": "443",
    "SERVER_PROTOCOL": "HTTP/1.1",
    "REMOTE_ADDR": "203.0.113.7",
    "HTTP_HOST": "api.helpdesk.example",
    "HTTP_X_FORWARDED_FOR": "203.0.113.7",
    "HTTP_COOKIE": "sessionid=s3cr3tvalue; theme=dark",
    "CONTENT_TYPE": "application/json",
    "CONTENT_LENGTH": str(len(body)),
    "wsgi.input": io.BytesIO(body),
    "wsgi.url_scheme": "https",
    "wsgi.version": (1, 0),
    "wsgi.errors": sys.stderr,
    "wsgi.multithread": False,
    "wsgi.multiprocess": False,
    "wsgi.run_once": False,
}
try:
    for _ in SentryWsgiMiddleware(app)(environ, lambda *a, **k: None):
        pass
except RuntimeError:
    pass
sentry_sdk.flush(timeout=10)

#!/usr/bin/env python3
"""Python oracle: what a real, published sentry-sdk collects for a given init().

Usage
-----
    python3 oracle.py --sdk DIR [--deps DIR] [-j N] [--timeout S] [--env K=V ...] CASE.py [CASE.py ...]
    python3 oracle.py --version 2.75.0[,3.0.0b2|all] [-j N] ... CASE.py [...]

--sdk DIR      a folder made by install.sh (DIR/sentry_sdk/...). Repeatable.
--deps DIR     urllib3 + certifi; default: DIR/../_deps (install.sh puts it there).
--version V    instead of --sdk: $ORACLE_DIR/python/V (ORACLE_DIR defaults to
               <repo>/target/oracle). Comma separated; "all" = every line of versions.txt.
-j N           cases run in parallel (default 2). Each case runs in a FRESH interpreter
               (python3 -I -S: no site-packages, no PYTHON* variables), with only the SDK
               folder, the deps folder and the stdlib on sys.path.
--timeout S    per case (default 60). --env K=V: set for the case (SENTRY_* variables of
               the calling environment are removed so that they cannot change the result).

Output: ONE JSON document on stdout, a list with one object per (case, sdk) in the order
given (cases outer, SDK folders inner):
    {"case": path, "sdk_version": "2.75.0",
     "init_error": null | "TypeError: Unknown option 'with_locals'",
     "error": null | "case raised ...: ..." | "oracle: ...",   (extra: anything not init)
     "warnings": ["DeprecationWarning: ...", "log: ..."],
     "collects": {category: "collected" | "filtered" | "off", ...}   ({} if init failed)
     "how": {category: "observed" | "resolved"},
     "details": {...}}
"error" and details are free-form; details.gates holds what the SDK itself answered
(should_send_default_pii(), has_data_collection_enabled(), the resolved data_collection,
the EventScrubber), details.observed the captured request/user/frame, and one entry per
resolved category with the gate each integration uses in this version. A probe that fails
inside the oracle gives "unknown"/"error" for its categories and a message in details.
The exit status is 0 when the JSON was printed, whatever the cases did; 2 on bad usage.

How a case runs
---------------
Before the case is exec'd (runpy, run_name "__main__") sentry_sdk.init, sentry_sdk.Client
and sentry_sdk.client.Client are wrapped: a DSN is added when the case gives none and the
transport is always replaced by an in-memory one (no network). warnings are recorded with
simplefilter("always") while the case runs; records of the SDK logger "sentry_sdk.errors"
at WARNING or above are recorded too (its debug-only filter is bypassed) as "log: <msg>".

Then, with the client the case left bound:
* OBSERVED (error event through the SDK's own pipeline: event processors, EventScrubber,
  serializer, before_send, transport): a POST goes through
  sentry_sdk.integrations.wsgi.SentryWsgiMiddleware to a tiny WSGI app. Inside the request
  the app also registers the SDK's own RequestExtractor.extract_into_event
  (sentry_sdk.integrations._wsgi_common; the code Flask, Django, Bottle, Falcon and Pyramid
  run) fed from the WSGI environ, because the bare middleware attaches neither
  request.cookies nor request.data. The view then raises with locals
  ticket_body/password/api_token. From the captured event:
    user_info        user.ip_address or request.env.REMOTE_ADDR (X-Forwarded-For 203.0.113.7,
                     REMOTE_ADDR 198.51.100.9)
    cookies          request.cookies and the Cookie header ("sessionid=s3cr3t; theme=dark")
    http_headers     request.headers except Cookie (Authorization: Bearer abc, X-Ticket-Id: 42;
                     X-Api-Key, X-Forwarded-For, User-Agent are reported in details only)
    request_bodies   request.data ({"ticket_data": "customer text", "password": "x"})
    query_params     request.query_string ("ticket=T-1&token=abc&page=2")
    frame_variables  vars of the view frame (password="hunter2", ticket_body, api_token)
    source_context   pre_context/context_line of the view frame
* RESOLVED (needs a third-party package to observe): the integrations' gates, read from the
  installed SDK source (which gate each integration file uses: data_collection[...] only,
  data_collection if has_data_collection_enabled() else legacy, or legacy only) and
  evaluated with the live client: utils.has_data_collection_enabled(options),
  scope.should_send_default_pii() (hub._should_send_default_pii() in 1.x), the resolved
  options["data_collection"], options["_experiments"], and integration constructor
  defaults parsed from the source. queue_arguments and graphql_* (which land in the error
  event) are then sent as a synthetic event through the real client (so the
  EventScrubber / before_send of the case apply) and classified like the observed ones.
  A category is "collected" if ANY integration of it collects (per-integration results are
  in details.<category>.per_integration).

Probe keys (why filtered vs collected is unambiguous in every version)
---------------------------------------------------------------------
The sensitive probe keys are in every denylist the SDKs have: the exact-key lists (1.x/2.x
EventScrubber DEFAULT_DENYLIST, _wsgi_common.SENSITIVE_HEADERS) and the substring list
(data_collection._SENSITIVE_DENYLIST): password (body, frame), sessionid (cookie: exact
entry "sessionid"; substring "session"), Authorization (header: "authorization"/"auth"),
token (query: "token"). The neutral keys match no list, neither exactly nor as a substring:
ticket_data, theme, X-Ticket-Id, ticket, page, ticket_body. api_token is a discriminator
kept in details only: filtered by the substring lists, not by the exact-key scrubber.
States: collected = the sensitive value is sent in clear; filtered = the container is sent
(a neutral value, or at least its keys) but the sensitive value is not in clear; off =
nothing of it is sent (absent, empty, "", or replaced as a whole, e.g. args="[Filtered]").
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

CATEGORIES = [
    "user_info",
    "cookies",
    "http_headers",
    "request_bodies",
    "outgoing_bodies",
    "query_params",
    "frame_variables",
    "source_context",
    "gen_ai_inputs",
    "gen_ai_outputs",
    "mcp_inputs",
    "mcp_outputs",
    "database_query_data",
    "queue_arguments",
    "graphql_document",
    "graphql_variables",
]

# --------------------------------------------------------------------------------------
# Parent side
# --------------------------------------------------------------------------------------


def _pinned_versions():
    with open(os.path.join(HERE, "versions.txt")) as f:
        return [l.strip() for l in f if l.strip() and not l.lstrip().startswith("#")]


def _sdk_dirs(args):
    dirs = list(args.sdk or [])
    if args.version:
        base = os.path.join(
            os.environ.get("ORACLE_DIR") or os.path.join(REPO, "target", "oracle"),
            "python",
        )
        for part in ",".join(args.version).split(","):
            part = part.strip()
            if not part:
                continue
            for v in _pinned_versions() if part == "all" else [part]:
                dirs.append(os.path.join(base, v))
    return dirs


def _version_of_dir(sdk_dir):
    try:
        for name in os.listdir(sdk_dir):
            if name.startswith("sentry_sdk-") and name.endswith(".dist-info"):
                return name[len("sentry_sdk-") : -len(".dist-info")]
    except OSError:
        pass
    return None


def _blank(case, sdk_dir, error):
    return {
        "case": case,
        "sdk_version": _version_of_dir(sdk_dir) or os.path.basename(os.path.normpath(sdk_dir)),
        "init_error": None,
        "error": error,
        "warnings": [],
        "collects": {},
        "how": {},
        "details": {"sdk_dir": sdk_dir},
    }


def _run_one(case, sdk_dir, deps_dir, timeout, extra_env):
    if not os.path.isfile(os.path.join(sdk_dir, "sentry_sdk", "__init__.py")):
        return _blank(case, sdk_dir, "oracle: no sentry_sdk in %s (run install.sh)" % sdk_dir)
    if not os.path.isfile(case):
        return _blank(case, sdk_dir, "oracle: case file not found: %s" % case)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    env.update(extra_env)
    fd, out_path = tempfile.mkstemp(prefix="oracle-", suffix=".json")
    os.close(fd)
    cmd = [
        sys.executable,
        "-I",
        "-S",
        os.path.abspath(__file__),
        "--child",
        out_path,
        os.path.abspath(sdk_dir),
        os.path.abspath(deps_dir) if deps_dir else "",
        os.path.abspath(case),
        case,
    ]
    t0 = time.time()
    try:
        proc = subprocess.run(
            cmd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            timeout=timeout,
        )
        rc, stderr = proc.returncode, proc.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        rc, stderr = "timeout", (e.stderr or b"").decode("utf-8", "replace")
    try:
        with open(out_path) as f:
            data = f.read()
        result = json.loads(data) if data.strip() else None
    except (OSError, ValueError) as e:
        result = None
        stderr += "\n(unreadable result: %s)" % e
    finally:
        try:
            os.unlink(out_path)
        except OSError:
            pass
    if result is None:
        what = "timed out after %ss" % timeout if rc == "timeout" else "exited with %s" % rc
        result = _blank(case, sdk_dir, "oracle: case process %s: %s" % (what, stderr[-2000:]))
    result.setdefault("details", {})["seconds"] = round(time.time() - t0, 3)
    if stderr.strip() and "stderr_tail" not in result["details"]:
        result["details"]["stderr_tail"] = stderr[-1500:]
    return result


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return _child_main(argv[1:])
    ap = argparse.ArgumentParser(description="sentry-sdk data-collection oracle")
    ap.add_argument("--sdk", action="append", help="SDK folder (repeatable)")
    ap.add_argument("--deps", help="deps folder (default: <sdk>/../_deps)")
    ap.add_argument("--version", action="append", help="version(s) under $ORACLE_DIR/python")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--env", action="append", default=[], help="K=V for the case")
    ap.add_argument("cases", nargs="+")
    args = ap.parse_args(argv)
    dirs = _sdk_dirs(args)
    if not dirs:
        ap.error("give --sdk DIR or --version V")
    extra_env = {}
    for kv in args.env:
        if "=" not in kv:
            ap.error("--env needs K=V, got %r" % kv)
        k, v = kv.split("=", 1)
        extra_env[k] = v
    jobs = []
    for case in args.cases:
        for d in dirs:
            deps = args.deps or os.path.join(os.path.dirname(os.path.abspath(d)), "_deps")
            jobs.append((case, d, deps))
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futures = [ex.submit(_run_one, c, d, p, args.timeout, extra_env) for c, d, p in jobs]
        results = []
        for (c, d, _), fut in zip(jobs, futures):
            try:
                results.append(fut.result())
            except Exception as e:  # never a traceback instead of JSON
                results.append(_blank(c, d, "oracle: %s: %s" % (type(e).__name__, e)))
    json.dump(results, sys.stdout, indent=1, sort_keys=False, default=repr)
    sys.stdout.write("\n")
    return 0


# --------------------------------------------------------------------------------------
# Child side: runs inside the fresh interpreter, with the SDK on sys.path
# --------------------------------------------------------------------------------------

ORACLE_DSN = "https://0123456789abcdef0123456789abcdef@o1.ingest.oracle.invalid/1"
SECRET_COOKIE = "s3cr3t"
REQUEST_BODY = {"ticket_data": "customer text", "password": "x"}
QUERY = "ticket=T-1&token=abc&page=2"
XFF_IP = "203.0.113.7"
REMOTE_IP = "198.51.100.9"
GRAPHQL_DOCUMENT = "query TicketQuery($id: ID!) { ticket(id: $id) { body } }"
JOB_KWARGS = {"ticket_data": "customer text", "password": "x"}


class _OracleProbeError(Exception):
    pass


def _oracle_ticket_view():
    # The locals below are the frame-variable probe. Keep them the only locals here.
    ticket_body = "T-1 customer text"
    password = "hunter2"
    api_token = "tok"
    raise _OracleProbeError("oracle probe: " + ticket_body[:3] + password[:0] + api_token[:0])


def _child_main(argv):
    out_path, sdk_dir, deps_dir, case_abs, case_label = argv[:5]
    result = {
        "case": case_label,
        "sdk_version": None,
        "init_error": None,
        "error": None,
        "warnings": [],
        "collects": {},
        "how": {},
        "details": {"sdk_dir": sdk_dir},
    }
    try:
        _child(result, sdk_dir, deps_dir, case_abs)
    except BaseException as e:  # report, never crash
        import traceback

        result["error"] = "oracle: internal error: %s: %s" % (type(e).__name__, e)
        result["details"]["traceback"] = traceback.format_exc()[-3000:]
    try:
        data = json.dumps(result, default=_json_default)
    except Exception as e:
        data = json.dumps(
            dict(result, details={"unserialisable_details": repr(e)}), default=repr
        )
    with open(out_path, "w") as f:
        f.write(data)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # skip atexit flushing of the SDK and any lingering threads


def _json_default(o):
    if isinstance(o, (set, frozenset, tuple)):
        return list(o)
    if isinstance(o, bytes):
        return o.decode("utf-8", "replace")
    return repr(o)


def _child(result, sdk_dir, deps_dir, case_abs):
    import logging
    import runpy
    import warnings

    sys.path[:0] = [p for p in (sdk_dir, deps_dir) if p]
    sys.argv = [case_abs]
    details = result["details"]

    import sentry_sdk
    import sentry_sdk.client
    import sentry_sdk.consts
    import sentry_sdk.transport

    result["sdk_version"] = sentry_sdk.consts.VERSION
    here = os.path.dirname(os.path.abspath(sentry_sdk.__file__))
    if not here.startswith(os.path.abspath(sdk_dir)):
        raise RuntimeError("sentry_sdk imported from %s, not %s" % (here, sdk_dir))

    # ---- in-memory transport ------------------------------------------------------
    Transport = sentry_sdk.transport.Transport

    class _MemTransport(Transport):
        def __init__(self, dsn):
            try:
                Transport.__init__(self, {"dsn": dsn, "org_id": None})
            except Exception:
                Transport.__init__(self, None)
            self.events = []

        def capture_event(self, event):
            self.events.append(event)

        def capture_envelope(self, envelope):
            for item in getattr(envelope, "items", []):
                if getattr(item, "type", None) in ("event", "transaction"):
                    payload = getattr(item, "payload", None)
                    ev = getattr(payload, "json", None)
                    if ev is None and payload is not None:
                        try:
                            ev = json.loads(payload.get_bytes())
                        except Exception:
                            ev = None
                    if ev is not None:
                        self.events.append(ev)

        def flush(self, timeout=None, callback=None):
            return None

        def kill(self):
            return None

        def is_healthy(self):
            return True

        def record_lost_event(self, *a, **k):
            return None

    state = {"transports": [], "init_calls": 0, "init_errors": [], "injected": []}

    def _inject(args, kwargs):
        if getattr(kwargs.get("transport"), "_oracle", False):
            return args, kwargs
        positional_dsn = bool(args) and isinstance(args[0], (str, bytes))
        positional_opts = args[-1] if args and isinstance(args[-1], dict) else {}
        dsn = kwargs.get("dsn")
        if dsn is None and positional_opts.get("dsn") is None and not positional_dsn:
            kwargs["dsn"] = ORACLE_DSN
            state["injected"].append("dsn")
        dsn = kwargs.get("dsn") or positional_opts.get("dsn") or (args[0] if positional_dsn else None)
        if kwargs.get("transport") is not None or positional_opts.get("transport") is not None:
            state["injected"].append("transport (replaced the case's own)")
        t = _MemTransport(dsn if isinstance(dsn, str) else None)
        t._oracle = True
        state["transports"].append(t)
        kwargs["transport"] = t
        return args, kwargs

    real_init = sentry_sdk.init

    def init(*args, **kwargs):
        state["init_calls"] += 1
        args, kwargs = _inject(args, kwargs)
        try:
            rv = real_init(*args, **kwargs)
        except Exception as e:
            state["init_errors"].append("%s: %s" % (type(e).__name__, e))
            raise
        state["init_errors"] = []
        return rv

    init.__wrapped__ = real_init
    sentry_sdk.init = init
    try:
        import sentry_sdk.api as _api

        if getattr(_api, "init", None) is real_init:
            _api.init = init
    except Exception:
        pass

    RealClient = sentry_sdk.client.Client

    class _OracleClient(RealClient):
        def __init__(self, *args, **kwargs):
            state["init_calls"] += 1
            args, kwargs = _inject(args, kwargs)
            try:
                RealClient.__init__(self, *args, **kwargs)
            except Exception as e:
                state["init_errors"].append("%s: %s" % (type(e).__name__, e))
                raise
            state["init_errors"] = []

    _OracleClient.__name__ = RealClient.__name__
    _OracleClient.__qualname__ = getattr(RealClient, "__qualname__", RealClient.__name__)
    sentry_sdk.Client = _OracleClient
    sentry_sdk.client.Client = _OracleClient

    # ---- warning + SDK-logger capture ----------------------------------------------
    sdk_logger = logging.getLogger("sentry_sdk.errors")
    log_records = []
    capture = {"on": False}
    orig_filter = sdk_logger.filter

    def _filter(record):
        if record.levelno >= logging.WARNING:
            try:
                msg = record.getMessage()
            except Exception:
                msg = str(record.msg)
            log_records.append((capture["on"], "log: " + msg))
        return orig_filter(record)

    sdk_logger.filter = _filter

    case_error = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        capture["on"] = True
        try:
            runpy.run_path(case_abs, run_name="__main__")
        except SystemExit as e:
            if e.code not in (None, 0):
                case_error = "case raised SystemExit(%r)" % (e.code,)
        except BaseException as e:
            case_error = "case raised %s: %s" % (type(e).__name__, e)
        capture["on"] = False
    for w in caught:
        result["warnings"].append("%s: %s" % (w.category.__name__, w.message))
    result["warnings"].extend(m for on, m in log_records if on)
    del log_records[:]

    details["init_calls"] = state["init_calls"]
    details["oracle_injected"] = sorted(set(state["injected"]))
    if state["init_errors"]:
        result["init_error"] = state["init_errors"][-1]
        return
    if case_error:
        result["error"] = case_error
    if state["init_calls"] == 0 and not state["transports"] and not case_error:
        result["error"] = (result["error"] or "") + (
            "; " if result["error"] else ""
        ) + "the case never called sentry_sdk.init() / Client()"

    client = _get_client(sentry_sdk)
    transport = getattr(client, "transport", None)
    if client is None or not getattr(transport, "_oracle", False):
        result["error"] = (result["error"] or "") + (
            "; " if result["error"] else ""
        ) + "no client from the case is bound after it ran"
        return

    ctx = _Ctx(sentry_sdk, client, transport, sdk_dir)
    details["gates"] = ctx.gates_summary()
    collects, how = result["collects"], result["how"]

    with warnings.catch_warnings(record=True) as probe_warnings:
        warnings.simplefilter("always")
        try:
            _observe(ctx, collects, how, details)
        except Exception as e:
            import traceback

            details["observe_error"] = "%s: %s" % (type(e).__name__, e)
            details["observe_traceback"] = traceback.format_exc()[-3000:]
        for name, fn in RESOLVERS:
            try:
                fn(ctx, collects, how, details)
            except Exception as e:
                import traceback

                details.setdefault("resolve_errors", {})[name] = "%s: %s\n%s" % (
                    type(e).__name__,
                    e,
                    traceback.format_exc()[-1500:],
                )
    extra = ["%s: %s" % (w.category.__name__, w.message) for w in probe_warnings]
    extra += [m for _, m in log_records]
    if extra:
        details["probe_warnings"] = extra
    for c in CATEGORIES:
        if c not in collects:
            collects[c] = "unknown"
            how.setdefault(c, "error")
    result["collects"] = {c: collects[c] for c in CATEGORIES}
    result["how"] = {c: how.get(c, "error") for c in CATEGORIES}


# ---- compat helpers -------------------------------------------------------------------


def _get_client(sentry_sdk):
    if hasattr(sentry_sdk, "get_client"):
        c = sentry_sdk.get_client()
        if c is not None and hasattr(c, "options"):
            return c
        return None
    hub = getattr(sentry_sdk, "Hub", None)
    return hub.current.client if hub is not None else None


def _add_request_event_processor(sentry_sdk, proc):
    if hasattr(sentry_sdk, "get_isolation_scope"):
        sentry_sdk.get_isolation_scope().add_event_processor(proc)
        return "get_isolation_scope()"
    scope_cls = getattr(getattr(sentry_sdk, "scope", None), "Scope", None)
    if scope_cls is not None and hasattr(scope_cls, "get_isolation_scope"):
        scope_cls.get_isolation_scope().add_event_processor(proc)
        return "Scope.get_isolation_scope()"
    with sentry_sdk.configure_scope() as scope:
        scope.add_event_processor(proc)
    return "configure_scope()"


class _Ctx:
    """The live client plus the SDK's own gate functions, per version."""

    def __init__(self, sentry_sdk, client, transport, sdk_dir):
        self.sdk = sentry_sdk
        self.client = client
        self.transport = transport
        self.options = client.options
        self.sdk_dir = sdk_dir
        self.integ_dir = os.path.join(sdk_dir, "sentry_sdk", "integrations")
        self._src_cache = {}
        # send_default_pii as the SDK itself answers it
        self.pii, self.pii_source = None, "no send_default_pii concept in this version"
        try:
            from sentry_sdk.scope import should_send_default_pii

            self.pii = bool(should_send_default_pii())
            self.pii_source = "sentry_sdk.scope.should_send_default_pii()"
        except ImportError:
            try:
                from sentry_sdk.hub import _should_send_default_pii

                self.pii = bool(_should_send_default_pii())
                self.pii_source = "sentry_sdk.hub._should_send_default_pii()"
            except ImportError:
                pass
        dc = self.options.get("data_collection")
        self.dc = dc if isinstance(dc, dict) else None
        try:
            from sentry_sdk.utils import has_data_collection_enabled

            self.dc_enabled = bool(has_data_collection_enabled(self.options))
            self.dc_source = "sentry_sdk.utils.has_data_collection_enabled(options)"
        except ImportError:
            if self.dc is not None:
                self.dc_enabled = True
                self.dc_source = "no has_data_collection_enabled(): data_collection always applies"
            else:
                self.dc_enabled = False
                self.dc_source = "no data_collection in this version"
        self.experiments = self.options.get("_experiments") or {}

    def gates_summary(self):
        scr = self.options.get("event_scrubber")
        return {
            "send_default_pii_option": self.options.get("send_default_pii", "<no such option>"),
            "should_send_default_pii": self.pii,
            "pii_source": self.pii_source,
            "data_collection_enabled": self.dc_enabled,
            "dc_source": self.dc_source,
            "data_collection": self.dc,
            "event_scrubber": None
            if scr is None
            else {
                "type": type(scr).__name__,
                "recursive": getattr(scr, "recursive", None),
                "denylist": list(getattr(scr, "denylist", []) or [])[:80],
            },
            "max_request_body_size": self.options.get("max_request_body_size", "<no such option>"),
            "include_local_variables": self.options.get("include_local_variables", "<no such option>"),
            "include_source_context": self.options.get("include_source_context", "<no such option>"),
        }

    # source of an integration module (file, or all .py of a package)
    def src(self, rel):
        if rel in self._src_cache:
            return self._src_cache[rel]
        p = os.path.join(self.integ_dir, rel)
        if rel.startswith("/"):
            p = os.path.join(self.sdk_dir, "sentry_sdk", rel[1:])
        text = None
        if os.path.isdir(p):
            parts = []
            for dp, _, fs in sorted(os.walk(p)):
                for fn in sorted(fs):
                    if fn.endswith(".py"):
                        with open(os.path.join(dp, fn), encoding="utf-8") as f:
                            parts.append(f.read())
            text = "\n".join(parts)
        elif os.path.isfile(p):
            with open(p, encoding="utf-8") as f:
                text = f.read()
        self._src_cache[rel] = text
        return text

    def dc_get(self, *path):
        cur = self.dc
        for k in path:
            if not isinstance(cur, dict) or k not in cur:
                return None
            cur = cur[k]
        return cur

    def capture_synthetic(self, event, marker):
        """Send a synthetic event through the real client; return what the transport got."""
        before = len(self.transport.events)
        event = dict(event)
        event.setdefault("tags", {})["oracle_probe"] = marker
        event.setdefault("level", "error")
        event.setdefault("message", "oracle synthetic probe " + marker)
        self.sdk.capture_event(event)
        for ev in self.transport.events[before:]:
            if isinstance(ev, dict) and (ev.get("tags") or {}).get("oracle_probe") == marker:
                return ev
        return None


# ---- observation ----------------------------------------------------------------------


def _observe(ctx, collects, how, details):
    import io

    sentry_sdk = ctx.sdk
    from sentry_sdk.integrations.wsgi import SentryWsgiMiddleware

    try:
        from sentry_sdk.integrations._wsgi_common import RequestExtractor
    except ImportError:
        RequestExtractor = None

    body = json.dumps(REQUEST_BODY).encode("utf-8")
    obs = {"request_extractor": None}

    if RequestExtractor is not None:

        class _EnvironRequestExtractor(RequestExtractor):
            """Feeds the SDK's RequestExtractor from a WSGI environ (as Flask's does)."""

            def __init__(self, environ, raw):
                RequestExtractor.__init__(self, environ)
                self._raw = raw

            def env(self):
                return self.request

            def cookies(self):
                out = {}
                for part in (self.request.get("HTTP_COOKIE") or "").split(";"):
                    if "=" in part:
                        k, v = part.split("=", 1)
                        out[k.strip()] = v.strip()
                return out

            def raw_data(self):
                return self._raw

            def form(self):
                return {}

            def files(self):
                return {}

            def size_of_file(self, file):
                return 0

    def app(environ, start_response):
        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        if RequestExtractor is not None:

            def _proc(event, hint):
                _EnvironRequestExtractor(environ, raw).extract_into_event(event)
                return event

            obs["request_extractor"] = _add_request_event_processor(sentry_sdk, _proc)
        _oracle_ticket_view()
        start_response("200 OK", [])
        return [b""]

    environ = {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/tickets/T-1",
        "QUERY_STRING": QUERY,
        "SERVER_NAME": "app.oracle.test",
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": REMOTE_IP,
        "HTTP_HOST": "app.oracle.test",
        "HTTP_X_FORWARDED_FOR": XFF_IP,
        "HTTP_AUTHORIZATION": "Bearer abc",
        "HTTP_X_TICKET_ID": "42",
        "HTTP_X_API_KEY": "k3y",
        "HTTP_USER_AGENT": "oracle-agent/1.0",
        "HTTP_COOKIE": "sessionid=%s; theme=dark" % SECRET_COOKIE,
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

    before = len(ctx.transport.events)
    raised = None
    try:
        resp = SentryWsgiMiddleware(app)(environ, lambda *a, **k: None)
        for _ in resp:
            pass
    except _OracleProbeError:
        raised = True
    try:
        ctx.client.flush(timeout=2)
    except Exception:
        pass
    event = None
    for ev in ctx.transport.events[before:]:
        if isinstance(ev, dict) and ev.get("type") != "transaction" and "exception" in ev:
            event = ev
    d = details.setdefault("observed", {})
    d["probe_raised"] = bool(raised)
    d["request_extractor_registered_on"] = obs["request_extractor"]
    d["event_captured"] = event is not None
    for c in ("user_info", "cookies", "http_headers", "request_bodies", "query_params",
              "frame_variables", "source_context"):
        how[c] = "observed"
    if event is None:
        for c in ("user_info", "cookies", "http_headers", "request_bodies", "query_params",
                  "frame_variables", "source_context"):
            collects[c] = "off"
        d["note"] = "no error event reached the transport (before_send/sample_rate/...)"
        return

    request = event.get("request") or {}
    user = event.get("user") or {}
    env = request.get("env") or {}
    headers = request.get("headers") or {}
    d["request"] = request
    d["user"] = user
    d["_meta"] = event.get("_meta")

    # user_info
    ip = user.get("ip_address") if isinstance(user, dict) else None
    if (ip and ip not in ("[Filtered]",)) or env.get("REMOTE_ADDR"):
        collects["user_info"] = "collected"
    elif isinstance(user, dict) and (ip == "[Filtered]" or any(
            user.get(k) for k in ("id", "email", "username"))):
        collects["user_info"] = "filtered"
    else:
        collects["user_info"] = "off"

    d["client_ip_elsewhere"] = sorted(
        "request.headers." + k for k, v in (headers.items() if isinstance(headers, dict) else [])
        if isinstance(v, str) and (XFF_IP in v or REMOTE_IP in v))
    # cookies: request.cookies + Cookie header
    cookies = request.get("cookies")
    cookie_hdr = ""
    for k, v in (headers.items() if isinstance(headers, dict) else []):
        if isinstance(k, str) and k.lower() == "cookie" and isinstance(v, str):
            cookie_hdr = v
    clear = (isinstance(cookies, dict) and cookies.get("sessionid") == SECRET_COOKIE) or (
        SECRET_COOKIE in cookie_hdr) or (isinstance(cookies, str) and SECRET_COOKIE in cookies)
    if clear:
        collects["cookies"] = "collected"
    elif (isinstance(cookies, dict) and cookies) or "theme=dark" in cookie_hdr:
        collects["cookies"] = "filtered"
    else:
        collects["cookies"] = "off"
    d["cookie_header"] = cookie_hdr or None
    probe_values = {"authorization": "Bearer abc", "x-ticket-id": "42", "x-api-key": "k3y",
                    "x-forwarded-for": XFF_IP, "user-agent": "oracle-agent/1.0"}
    per_header = {}
    for name, val in probe_values.items():
        got = next((v for k, v in (headers.items() if isinstance(headers, dict) else [])
                    if isinstance(k, str) and k.lower() == name), None)
        per_header[name] = "absent" if got is None else ("clear" if got == val else repr(got))
    d["headers_probe"] = per_header

    # http headers (without Cookie)
    hdrs = {k: v for k, v in (headers.items() if isinstance(headers, dict) else [])
            if not (isinstance(k, str) and k.lower() == "cookie")}
    auth = next((v for k, v in hdrs.items() if isinstance(k, str) and k.lower() == "authorization"), None)
    if auth == "Bearer abc":
        collects["http_headers"] = "collected"
    elif hdrs and any(v not in (None, "") for v in hdrs.values()):
        collects["http_headers"] = "filtered"
    else:
        collects["http_headers"] = "off"

    # request body
    data = request.get("data")
    if isinstance(data, dict) and data.get("password") == REQUEST_BODY["password"]:
        collects["request_bodies"] = "collected"
    elif isinstance(data, str) and "customer text" in data:
        collects["request_bodies"] = "collected"
    elif isinstance(data, dict) and data:
        collects["request_bodies"] = "filtered"
    else:
        collects["request_bodies"] = "off"

    # query string
    qs = request.get("query_string")
    if not qs and isinstance(request.get("url"), str) and "?" in request["url"]:
        qs = request["url"].split("?", 1)[1]
    if isinstance(qs, dict):
        from urllib.parse import urlencode

        qs = urlencode(qs, doseq=True)
    if isinstance(qs, str) and qs:
        from urllib.parse import parse_qs

        parsed = parse_qs(qs, keep_blank_values=True)
        collects["query_params"] = "collected" if parsed.get("token") == ["abc"] else "filtered"
    else:
        collects["query_params"] = "off"

    # frames
    frame = None
    for exc in ((event.get("exception") or {}).get("values") or []):
        for fr in ((exc.get("stacktrace") or {}).get("frames") or []):
            if fr.get("function") == "_oracle_ticket_view":
                frame = fr
    d["frame"] = frame
    if frame is None:
        collects["frame_variables"] = "off"
        collects["source_context"] = "off"
    else:
        vs = frame.get("vars")
        if isinstance(vs, dict) and vs.get("password") in ("'hunter2'", "hunter2"):
            collects["frame_variables"] = "collected"
        elif isinstance(vs, dict) and vs:
            collects["frame_variables"] = "filtered"
        else:
            collects["frame_variables"] = "off"
        collects["source_context"] = "collected" if frame.get("context_line") else "off"
        if isinstance(vs, dict):
            d["frame_vars_probe"] = {k: vs.get(k, "<absent>") for k in
                                     ("password", "ticket_body", "api_token")}
        d["context_lines"] = {
            "pre": len(frame.get("pre_context") or []),
            "post": len(frame.get("post_context") or []),
        }


# ---- resolution -------------------------------------------------------------------------


def _include_prompts_default(src):
    import re

    m = re.search(r"include_prompts\s*(?::\s*bool)?\s*=\s*(True|False)", src or "")
    return None if m is None else m.group(1) == "True"


def _gate(ctx, src, dc_path, legacy_value, legacy_desc):
    """Classify which gate a source file uses for dc_path and evaluate it.

    dc_path: key path into the resolved data_collection (e.g. ("gen_ai", "inputs")).
    * the file reads data_collection[dc_path[0]] and has_data_collection_enabled():
      data_collection when that is True, else the legacy gate (2.67+ style);
    * the file reads data_collection[...] only: data_collection (3.x style);
    * otherwise: the legacy gate.
    Returns (bool, description)."""
    uses_dc = ('["%s"]' % dc_path[0]) in src
    uses_hdce = "has_data_collection_enabled" in src
    path = "data_collection" + "".join('["%s"]' % k for k in dc_path)
    if uses_dc and uses_hdce:
        if ctx.dc_enabled:
            return bool(ctx.dc_get(*dc_path)), "%s (has_data_collection_enabled() is True)" % path
        return bool(legacy_value), "%s (has_data_collection_enabled() is False)" % legacy_desc
    if uses_dc:
        return bool(ctx.dc_get(*dc_path)), "%s (the only gate in this version)" % path
    return bool(legacy_value), "%s (no data_collection gate in this version)" % legacy_desc


def _union(ctx, category, per, collects, how, details, note=None):
    present = {k: v for k, v in per.items() if v is not None}
    on = [k for k, v in present.items() if v["collects"]]
    collects[category] = "collected" if on else "off"
    how[category] = "resolved"
    d = {"per_integration": per}
    if note:
        d["note"] = note
    if present and 0 < len(on) < len(present):
        d["integrations_disagree"] = True
    details[category] = d


GEN_AI = [
    ("openai", "openai.py"),
    ("anthropic", "anthropic.py"),
    ("cohere", "cohere.py"),
    ("huggingface_hub", "huggingface_hub.py"),
    ("langchain", "langchain.py"),
    ("langgraph", "langgraph.py"),
    ("litellm", "litellm.py"),
    ("mistral", "mistral.py"),
    ("google_genai", "google_genai"),
    ("pydantic_ai", "pydantic_ai"),
    ("openai_agents", "openai_agents"),
    ("typesafe", "typesafe.py"),
    ("boto3_bedrock", "boto3/_services/bedrock.py"),
]


def _resolve_gen_ai(ctx, collects, how, details):
    for kind in ("inputs", "outputs"):
        per = {}
        for name, rel in GEN_AI:
            src = ctx.src(rel)
            if src is None:
                continue
            if '["gen_ai"]' not in src and "include_prompts" not in src and \
                    "should_send_default_pii" not in src:
                continue  # e.g. boto3 without an AI service
            incl = _include_prompts_default(src)
            if "should_send_default_pii" in src and incl is not None:
                legacy = bool(ctx.pii) and incl
                desc = "should_send_default_pii() and include_prompts (default %s)" % incl
            else:
                legacy = bool(ctx.pii)
                desc = "should_send_default_pii()"
            val, why = _gate(ctx, src, ("gen_ai", kind), legacy, desc)
            per[name] = {"collects": val, "gate": why}
        _union(ctx, "gen_ai_" + kind, per, collects, how, details,
               note="spans only (prompts/completions in span data); integrations are "
                    "auto-enabled when their package is installed; a category is collected "
                    "if any integration collects. Manual @sentry_sdk.trace(template=AI_*) "
                    "is listed under manual_trace_template.")
    # manual instrumentation path in tracing_utils (not part of the union)
    tu = ctx.src("/tracing_utils.py") or ""
    if "_should_collect_gen_ai" in tu:
        details["gen_ai_inputs"]["manual_trace_template"] = {
            "prompt_kwargs_recorded": (bool(ctx.dc_get("gen_ai", "inputs")) if ctx.dc_enabled
                                       else ("collect_messages = True" in tu)),
            "note": "tracing_utils._get_input_attributes: without data_collection the "
                    "prompt/system_prompt kwargs of @trace(template=AI_CHAT/AI_AGENT) "
                    "functions are always recorded ('Pre-data collection, prompts were "
                    "always recorded here').",
        }


def _resolve_mcp(ctx, collects, how, details):
    src = ctx.src("mcp.py")
    for kind in ("inputs", "outputs"):
        cat = "mcp_" + kind
        how[cat] = "resolved"
        if src is None:
            collects[cat] = "off"
            details[cat] = {"note": "no MCP integration (sentry_sdk/integrations/mcp.py) in "
                                    "this version"}
            continue
        incl = _include_prompts_default(src)
        if ('["mcp"]["%s"]' % kind) in src:
            val = bool(ctx.dc_get("mcp", kind))
            why = 'data_collection["mcp"]["%s"] (own category)' % kind
        elif kind == "inputs":
            # tool/prompt arguments -> span data mcp.request.argument.*
            if ctx.dc_enabled and '["gen_ai"]["inputs"]' in src:
                val = bool(ctx.dc_get("gen_ai", "inputs"))
                why = ('data_collection["gen_ai"]["inputs"] (no mcp category; MCP follows '
                       'gen_ai)')
            else:
                val = "mcp.request.argument" in src
                why = ("unconditional: _set_span_input_data() sets mcp.request.argument.* "
                       "for every call; only data_collection (if enabled and the file reads "
                       "it) can drop them; send_default_pii/include_prompts are not read")
        else:
            if ctx.dc_enabled and '["gen_ai"]["outputs"]' in src:
                val = bool(ctx.dc_get("gen_ai", "outputs"))
                why = 'data_collection["gen_ai"]["outputs"] (MCP follows gen_ai)'
            else:
                val = bool(ctx.pii) and (incl if incl is not None else True)
                why = "should_send_default_pii() and include_prompts (default %s)" % incl
        collects[cat] = "collected" if val else "off"
        details[cat] = {"gate": why, "note": "spans only"}


def _resolve_db(ctx, collects, how, details):
    per = {}
    tu = ctx.src("/tracing_utils.py") or ""
    rsp = bool(ctx.experiments.get("record_sql_params", False))
    if '["database_query_data"]' in tu:
        if "has_data_collection_enabled" in tu and not ctx.dc_enabled:
            per["sql_params (record_sql_queries)"] = {
                "collects": rsp, "gate": '_experiments["record_sql_params"] (default False)'}
        else:
            per["sql_params (record_sql_queries)"] = {
                "collects": bool(ctx.dc_get("database_query_data")),
                "gate": 'data_collection["database_query_data"]'}
    elif "record_sql_params" in tu:
        per["sql_params (record_sql_queries)"] = {
            "collects": rsp, "gate": '_experiments["record_sql_params"] (default False)'}
    for name, rel in (("redis", "redis"), ("pymongo", "pymongo.py"),
                      ("clickhouse_driver", "clickhouse_driver.py")):
        src = ctx.src(rel)
        if src is None:
            continue
        val, why = _gate(ctx, src, ("database_query_data",), bool(ctx.pii),
                         "should_send_default_pii()")
        per[name] = {"collects": val, "gate": why}
    _union(ctx, "database_query_data", per, collects, how, details,
           note="spans only (bound params, redis command args, mongo values, clickhouse "
                "params); aiomysql/asyncpg also need their own record_params=True before "
                "record_sql_queries is reached")


QUEUES = [("celery", "celery-job", ("celery", "celery.py")), ("rq", "rq-job", ("rq.py",)),
          ("arq", "arq-job", ("arq.py",)), ("huey", "huey-job", ("huey.py",))]


def _resolve_queues(ctx, collects, how, details):
    from sentry_sdk.utils import SENSITIVE_DATA_SUBSTITUTE as SUB

    per = {}
    extra = {}
    for name, key, rels in QUEUES:
        src = next((ctx.src(r) for r in rels if ctx.src(r) is not None), None)
        if src is None:
            continue
        if '["queues"]' in src:
            val, why = _gate(ctx, src, ("queues",), bool(ctx.pii), "should_send_default_pii()")
        elif "should_send_default_pii" in src and "SENSITIVE_DATA_SUBSTITUTE" in src:
            val, why = bool(ctx.pii), "should_send_default_pii() else '[Filtered]'"
        else:
            val, why = True, "unconditional (args/kwargs always in extra)"
        per[name] = {"collects": val, "gate": why}
        extra[key] = {"task_name": "tasks.close_ticket",
                      "args": ["T-1 customer text"] if val else SUB,
                      "kwargs": dict(JOB_KWARGS) if val else SUB}
    if not per:
        collects["queue_arguments"] = "off"
        how["queue_arguments"] = "resolved"
        return
    ev = ctx.capture_synthetic({"extra": extra}, "queues")
    states = {}
    for name, key, _ in QUEUES:
        if name not in per:
            continue
        job = ((ev or {}).get("extra") or {}).get(key)
        kw = job.get("kwargs") if isinstance(job, dict) else None
        if isinstance(kw, dict) and kw.get("password") == "x":
            st = "collected"
        elif isinstance(kw, dict) and kw:
            st = "filtered"
        else:
            st = "off"
        per[name]["state_after_client_pipeline"] = st
        states[name] = st
    order = {"collected": 2, "filtered": 1, "off": 0}
    collects["queue_arguments"] = max(states.values(), key=order.get) if states else "off"
    how["queue_arguments"] = "resolved"
    rq_src = ctx.src("rq.py") or ""
    dq = ctx.src("dramatiq.py")
    details["queue_arguments"] = {
        "per_integration": per,
        "synthetic_event_extra": (ev or {}).get("extra") if ev else "event dropped",
        "note": "gates resolved from source; the resulting extra went through the real "
                "client (EventScrubber/before_send) and was classified",
        "rq_description_always_sent": '"description": job.description' in rq_src,
        "rq_description_note": "rq-job.description is RQ's call string (func(args...)) and "
                               "is sent whatever the args gate says",
    }
    if dq is not None:
        if '["queues"]' in dq:
            dv, dw = bool(ctx.dc_get("queues")), 'data_collection["queues"]'
        elif "incoming_request" in dq and ctx.dc_enabled:
            dv = "incoming_request" in (ctx.dc_get("http_bodies") or [])
            dw = '"incoming_request" in data_collection["http_bodies"]'
        else:
            dv, dw = ctx.options.get("max_request_body_size") != "never", \
                "max_request_body_size != 'never' only (no PII gate)"
        details["queue_arguments"]["dramatiq_contexts_data"] = {
            "collects": dv, "gate": dw,
            "note": "dramatiq puts the whole message (args/kwargs) in contexts.dramatiq.data; "
                    "not counted in queue_arguments (extra)"}


GRAPHQL = [("strawberry", "strawberry.py"), ("ariadne", "ariadne.py"),
           ("graphene", "graphene.py"), ("gql", "gql.py")]


def _resolve_graphql(ctx, collects, how, details):
    per = {"document": {}, "variables": {}}
    for name, rel in GRAPHQL:
        src = ctx.src(rel)
        if src is None:
            continue
        for kind in ("document", "variables"):
            val, why = _gate(ctx, src, ("graphql", kind), bool(ctx.pii),
                             "should_send_default_pii()")
            per[kind][name] = {"collects": val, "gate": why}
    doc_on = any(v["collects"] for v in per["document"].values())
    var_on = any(v["collects"] for v in per["variables"].values())
    data = {}
    if doc_on:
        data["query"] = GRAPHQL_DOCUMENT
    if var_on:
        data["variables"] = {"id": "T-1", "ticket_data": "customer text", "password": "x"}
    ev = ctx.capture_synthetic({"request": {"api_target": "graphql", "data": data}}, "graphql") \
        if data else None
    got = (((ev or {}).get("request") or {}).get("data")) if ev else None
    got = got if isinstance(got, dict) else {}
    collects["graphql_document"] = "collected" if got.get("query") == GRAPHQL_DOCUMENT else "off"
    v = got.get("variables")
    if isinstance(v, dict) and v.get("password") == "x":
        collects["graphql_variables"] = "collected"
    elif isinstance(v, dict) and v:
        collects["graphql_variables"] = "filtered"
    else:
        collects["graphql_variables"] = "off"
    how["graphql_document"] = how["graphql_variables"] = "resolved"
    for kind in ("document", "variables"):
        on = [k for k, x in per[kind].items() if x["collects"]]
        details["graphql_" + kind] = {
            "per_integration": per[kind],
            "integrations_disagree": 0 < len(on) < len(per[kind]),
            "synthetic_request_data": got,
            "note": "request.data of the error event (strawberry/ariadne/graphene) and span "
                    "graphql.document; gate resolved from source, payload sent through the "
                    "real client",
        }


def _resolve_outgoing(ctx, collects, how, details):
    per = {}
    for name, rel in (("strawberry", "strawberry.py"), ("ariadne", "ariadne.py")):
        src = ctx.src(rel)
        if src is None:
            continue
        if "outgoing_response" in src and (ctx.dc_enabled or "should_send_default_pii" not in src):
            val = "outgoing_response" in (ctx.dc_get("http_bodies") or [])
            why = '"outgoing_response" in data_collection["http_bodies"]'
        else:
            val = bool(ctx.pii)
            why = "should_send_default_pii()"
        per[name + " (GraphQL response -> contexts.response.data)"] = {"collects": val, "gate": why}
    readers = []
    for dp, _, fs in os.walk(ctx.integ_dir):
        for fn in fs:
            if fn.endswith(".py"):
                with open(os.path.join(dp, fn), encoding="utf-8") as f:
                    if '"outgoing_request"' in f.read():
                        readers.append(os.path.relpath(os.path.join(dp, fn), ctx.integ_dir))
    _union(ctx, "outgoing_bodies", per, collects, how, details,
           note="the HTTP client integrations (stdlib http.client, httpx, aiohttp client) "
                "record no request/response body in this version; integrations reading "
                "\"outgoing_request\": %s" % (sorted(readers) or "none"))


RESOLVERS = [
    ("gen_ai", _resolve_gen_ai),
    ("mcp", _resolve_mcp),
    ("database_query_data", _resolve_db),
    ("queue_arguments", _resolve_queues),
    ("graphql", _resolve_graphql),
    ("outgoing_bodies", _resolve_outgoing),
]


if __name__ == "__main__":
    sys.exit(main())

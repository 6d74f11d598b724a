#!/usr/bin/env node
/**
 * Sentry JavaScript SDK data-collection oracle.
 *
 * Runs test cases (small TS/JS modules that call `Sentry.init({...})`) against a
 * REAL installed SDK (see install.sh) and reports, per data category, what that
 * SDK version collects. See README.md for the full contract.
 *
 * Usage:
 *   node oracle.mjs --sdk <version-dir> [--tsc] [-j N] [--timeout SECONDS]
 *                   [--tools <tools-dir>] CASE.ts [CASE.ts ...]
 *
 *   --sdk DIR      an install folder made by install.sh, e.g. target/oracle/js/11.12.0
 *                  (a bare version such as `11.12.0` is looked up in
 *                  ${ORACLE_DIR:-<repo>/target/oracle}/js/). Required.
 *   --tsc          also type-check each case with the pinned typescript against the
 *                  pinned package's types (noEmit, strict); adds "tsc": [...] to each result.
 *   -j, --jobs N   cases run in parallel, each in its own child process (default 2).
 *   --timeout S    per-case timeout in seconds (default 60).
 *   --tools DIR    folder with node_modules/typescript (default: <sdk-dir>/../_tools).
 *
 * Output: ONE JSON document on stdout: an array with one object per case, in the
 * order given:
 *   { "case": "<path as given>", "sdk_version": "11.12.0", "package": "@sentry/node",
 *     "init_error": null | { "name", "message", "where": "transpile"|"case"|"init"|"oracle" },
 *     "warnings": [ "<console.warn/console.error line>", ... ],
 *     "collects": { "<category>": "collected" | "filtered" | "off", ... },
 *     "how": { "<category>": "observed" | "resolved" | "absent", ... },
 *     "details": { ... evidence ... },
 *     "tsc": [ { "code", "message", "line", "column", "category" } ]   // only with --tsc
 *   }
 * Categories: user_info cookies http_headers request_bodies outgoing_bodies
 * query_params frame_variables source_context gen_ai_inputs gen_ai_outputs mcp_inputs
 * mcp_outputs database_query_data queue_arguments graphql_document graphql_variables.
 * `collects`/`how` are empty objects when init failed or was never called.
 *
 *   collected = sent, values of sensitive-named keys in clear
 *   filtered  = sent, values of sensitive keys replaced/removed, a neutral key's value kept
 *   off       = not sent
 *   how: observed = seen in the envelopes the real SDK produced in this run;
 *        resolved = from the SDK's own runtime state (client.getDataCollectionOptions(),
 *                   client.getOptions(), the SDK's exported filter functions) combined with
 *                   the code path the installed version ships (found by reading its files);
 *        absent   = the installed package has no code that collects this category.
 *
 * Each case runs in a FRESH child process (the SDK keeps global state). The case is
 * transpiled to CommonJS with the pinned typescript's transpileModule; its imports of
 * `@sentry/core|browser|node` are pointed at a shim that re-exports the pinned package
 * with `init` wrapped to inject a DSN, an in-memory transport, a default `release` (so
 * sessions are not discarded) and `debug: true` (the SDK
 * reports ignored options and integration problems only through its debug logger). The
 * oracle never opens a network connection except to its own 127.0.0.1 HTTP server.
 *
 * Exit status: 0 when JSON was printed (whatever the cases did), 2 on a usage error.
 */

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import util from "node:util";

const SELF = fileURLToPath(import.meta.url);
const HERE = path.dirname(SELF);
const REPO = path.resolve(HERE, "../../..");

export const CATEGORIES = [
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
];

const DSN = "https://0123456789abcdef0123456789abcdef@o1.ingest.oracle.invalid/1";
const FILTERED = "[Filtered]";
// The probe request every observation uses (see README.md).
const PROBE = {
  path: "/tickets/42",
  query: "ticket=T-1&token=abc&page=2",
  cookie: "sessionid=s3cr3t; theme=dark",
  headers: { Authorization: "Bearer abc", "X-Ticket-Id": "42", "X-Forwarded-For": "203.0.113.7" },
  body: JSON.stringify({ ticket_data: "customer text", password: "x" }),
  ip: "203.0.113.7",
  socketIp: "198.51.100.23",
};
const MARK = {
  prompt: "ORACLE-PROMPT-7f3a",
  completion: "ORACLE-COMPLETION-7f3a",
  mcpArg: "ORACLE-MCP-ARG-7f3a",
  mcpResult: "ORACLE-MCP-RESULT-7f3a",
};


// ---------------------------------------------------------------------------
// Parent: argument parsing, one child per case, JSON on stdout.
// ---------------------------------------------------------------------------

function usage(message) {
  process.stderr.write(
    `oracle.mjs: ${message}\n` +
      "usage: node oracle.mjs --sdk <version-dir> [--tsc] [-j N] [--timeout S] [--tools DIR] CASE ...\n",
  );
  process.exit(2);
}

async function parentMain(argv) {
  let sdk = null;
  let tsc = false;
  let jobs = 2;
  let timeout = 60;
  let tools = null;
  const cases = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--sdk") sdk = value();
    else if (a.startsWith("--sdk=")) sdk = a.slice(6);
    else if (a === "--tsc") tsc = true;
    else if (a === "-j" || a === "--jobs") jobs = Number(value());
    else if (/^-j\d+$/.test(a)) jobs = Number(a.slice(2));
    else if (a.startsWith("--jobs=")) jobs = Number(a.slice(7));
    else if (a === "--timeout") timeout = Number(value());
    else if (a === "--tools") tools = value();
    else if (a === "-h" || a === "--help") {
      process.stdout.write(fs.readFileSync(SELF, "utf8").split("*/")[0] + "*/\n");
      process.exit(0);
    } else if (a === "--") cases.push(...argv.slice(i + 1)), (i = argv.length);
    else if (a.startsWith("-")) usage(`unknown option ${a}`);
    else cases.push(a);
  }
  if (!sdk) usage("--sdk is required");
  if (!Number.isInteger(jobs) || jobs < 1) usage("-j needs a positive integer");
  if (!(timeout > 0)) usage("--timeout needs a positive number");
  let sdkDir = path.resolve(sdk);
  if (!fs.existsSync(sdkDir) && /^\d+\.\d+\.\d+$/.test(sdk)) {
    sdkDir = path.join(process.env.ORACLE_DIR || path.join(REPO, "target/oracle"), "js", sdk);
  }
  if (!fs.existsSync(path.join(sdkDir, "node_modules/@sentry/core/package.json"))) {
    usage(`${sdkDir} is not an SDK install folder (run tests/oracle/js/install.sh)`);
  }
  const toolsDir = path.resolve(tools || path.join(sdkDir, "..", "_tools"));
  if (cases.length === 0) usage("no case files given");

  const results = new Array(cases.length);
  let next = 0;
  async function worker() {
    while (next < cases.length) {
      const index = next++;
      results[index] = await runChild(cases[index], { sdkDir, toolsDir, tsc, timeout });
    }
  }
  await Promise.all(Array.from({ length: Math.min(jobs, cases.length) }, worker));
  process.stdout.write(JSON.stringify(results, null, 2) + "\n");
}

function sdkVersionOf(sdkDir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(sdkDir, "node_modules/@sentry/core/package.json"), "utf8"))
      .version;
  } catch {
    return null;
  }
}

function runChild(casePath, { sdkDir, toolsDir, tsc, timeout }) {
  return new Promise((resolve) => {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "sentry-oracle-"));
    const out = path.join(workDir, "result.json");
    const config = { casePath, caseAbs: path.resolve(casePath), sdkDir, toolsDir, tsc, workDir, out };
    const started = Date.now();
    const child = spawn(process.execPath, [SELF], {
      cwd: workDir,
      env: {
        // No SENTRY_* variable of the caller's (DSN, release, sample rates) reaches the SDK.
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SENTRY_"))),
        SENTRY_ORACLE_CHILD: JSON.stringify(config),
        NODE_OPTIONS: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout = (stdout + d).slice(-20000)));
    child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-20000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeout * 1000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      let result = null;
      try {
        result = JSON.parse(fs.readFileSync(out, "utf8"));
      } catch {
        result = null;
      }
      if (result && !result.complete && !timedOut && !result.init_error) {
        // The child ended (e.g. the case called process.exit) before the observation finished.
        result.init_error = {
          name: "OracleError",
          message: `the case ended the process (exit code ${code}) before the oracle could observe`,
          where: "case",
        };
        result.collects = {};
        result.how = {};
      }
      if (!result || (timedOut && !result.complete)) {
        const why = timedOut
          ? `case timed out after ${timeout}s`
          : `oracle child exited (code ${code}, signal ${signal}) without a result`;
        result = {
          ...(result || {}),
          case: casePath,
          sdk_version: result?.sdk_version ?? sdkVersionOf(sdkDir),
          package: result?.package ?? null,
          init_error: result?.init_error ?? { name: "OracleError", message: why, where: "oracle" },
          warnings: result?.warnings ?? [],
          collects: result?.collects ?? {},
          how: result?.how ?? {},
          details: { ...(result?.details || {}), oracle_error: why, child_stderr: stderr.slice(-4000) },
        };
      }
      delete result.complete;
      result.details = result.details || {};
      result.details.elapsed_ms = Date.now() - started;
      if (stderr.trim()) result.details.child_stderr = stderr.slice(-4000);
      fs.rmSync(workDir, { recursive: true, force: true });
      resolve(result);
    });
  });
}

// ---------------------------------------------------------------------------
// Child: runs one case in this (fresh) process.
// ---------------------------------------------------------------------------

async function childMain(config) {
  const require = createRequire(SELF);
  const Module = require("node:module");
  const logs = [];
  let phase = "load";
  const result = {
    case: config.casePath,
    sdk_version: sdkVersionOf(config.sdkDir),
    package: null,
    init_error: null,
    warnings: [],
    collects: {},
    how: {},
    details: {},
    complete: false,
  };
  const details = result.details;
  const state = { initCalls: 0, initError: null, userOptions: undefined, client: null, envelopes: [] };

  const write = () => {
    result.warnings = logs.filter((l) => l.level === "warn" || l.level === "error").map((l) => l.text);
    const sdkLog = logs.filter((l) => l.level !== "warn" && l.level !== "error");
    details.debug_log = sdkLog.slice(0, 60).map((l) => `[${l.phase}] ${l.text}`);
    if (sdkLog.length > 60) details.debug_log.push(`... ${sdkLog.length - 60} more lines`);
    try {
      fs.writeFileSync(config.out, JSON.stringify(result, safeReplacer()));
    } catch (e) {
      fs.writeFileSync(config.out, JSON.stringify({ ...result, details: { serialize_error: String(e) } }));
    }
  };
  process.on("exit", () => {
    if (!result.complete) write();
  });

  // Capture console output (the SDK's debug logger and warnings go through console).
  const fmt = (a) => {
    if (typeof a === "string") return a;
    if (a instanceof Error) return `${a.name}: ${a.message}`;
    return util.inspect(a, { depth: 3, breakLength: Infinity, maxStringLength: 500 });
  };
  for (const level of ["log", "info", "warn", "error", "debug", "trace"]) {
    console[level] = (...args) => {
      if (logs.length < 2000) logs.push({ level, phase, text: args.map(fmt).join(" ").slice(0, 2000) });
    };
  }
  const uncaught = [];
  process.on("uncaughtException", (e) => uncaught.push(errorInfo(e)));
  process.on("unhandledRejection", (e) => uncaught.push(errorInfo(e)));
  process.on("warning", (w) => logs.push({ level: "process-warning", phase, text: `${w.name}: ${w.message}` }));

  try {
    // 1. Read the case and find which SDK package it imports.
    const source = fs.readFileSync(config.caseAbs, "utf8");
    const imported = [...source.matchAll(/(?:from\s*|import\s*\(\s*|require\s*\(\s*|import\s+)["'](@sentry\/[a-z0-9-]+)(?:\/[^"']*)?["']/g)].map(
      (m) => m[1],
    );
    const main = ["@sentry/node", "@sentry/browser", "@sentry/core"].find((p) => imported.includes(p)) || null;
    result.package = main;
    details.imports = [...new Set(imported)];
    const short = main ? main.slice("@sentry/".length) : null;
    write(); // a partial result, in case the child is killed (timeout)

    if (config.tsc) {
      phase = "tsc";
      result.tsc = typeCheck(config, source);
    }

    // 2. Transpile to CommonJS.
    phase = "transpile";
    const ts = loadTypeScript(config.toolsDir);
    const out = ts.transpileModule(source, {
      fileName: config.caseAbs,
      reportDiagnostics: true,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2020,
        esModuleInterop: true,
        allowJs: true,
        sourceMap: false,
      },
    });
    const syntax = (out.diagnostics || []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (syntax.length) {
      result.init_error = {
        name: "TranspileError",
        message: syntax.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("; "),
        where: "transpile",
      };
      finish();
      return;
    }
    if (!main) {
      result.init_error = { name: "OracleError", message: "the case imports no @sentry/core|browser|node", where: "case" };
      finish();
      return;
    }
    if (!fs.existsSync(path.join(config.sdkDir, "node_modules", main, "package.json"))) {
      result.init_error = {
        name: "OracleError",
        message: `${main} is not installed in ${config.sdkDir} (see install.sh; ORACLE_JS_LEAN=1 skips optional packages)`,
        where: "oracle",
      };
      finish();
      return;
    }
    const caseFile = path.join(config.workDir, "case.cjs");
    fs.writeFileSync(caseFile, out.outputText);
    fs.writeFileSync(path.join(config.workDir, "ticket-handler.cjs"), TICKET_HANDLER_SOURCE);

    // 3. Module resolution: @sentry/* from the case -> pinned install; the three main
    // packages -> shims with a wrapped init.
    const sdkRequire = createRequire(path.join(config.sdkDir, "package.json"));
    const real = {};
    const loadReal = (name) => (real[name] ??= sdkRequire(`@sentry/${name}`));
    const shims = {};
    globalThis.__sentryOracleShim = (name) => (shims[name] ??= makeShim(name));
    for (const name of ["core", "browser", "node"]) {
      fs.writeFileSync(
        path.join(config.workDir, `shim-${name}.cjs`),
        `module.exports = globalThis.__sentryOracleShim(${JSON.stringify(name)});\n`,
      );
    }
    const originalResolve = Module._resolveFilename;
    Module._resolveFilename = function (request, parent, ...rest) {
      if (typeof request === "string" && request.startsWith("@sentry/") && parent?.filename?.startsWith(config.workDir)) {
        const m = /^@sentry\/(core|browser|node)$/.exec(request);
        if (m) return path.join(config.workDir, `shim-${m[1]}.cjs`);
        return sdkRequire.resolve(request);
      }
      return originalResolve.call(this, request, parent, ...rest);
    };

    function makeTransport() {
      return {
        send(envelope) {
          state.envelopes.push(envelope);
          return Promise.resolve({ statusCode: 200 });
        },
        flush() {
          return Promise.resolve(true);
        },
      };
    }
    function inject(options) {
      // A release keeps the SDK from discarding sessions (their attrs carry {{auto}} IPs).
      return { release: "oracle@1.0.0", ...(options || {}), dsn: DSN, transport: makeTransport, debug: true };
    }
    function makeShim(name) {
      const pkg = loadReal(name);
      const shim = { ...pkg };
      Object.defineProperty(shim, "__esModule", { value: true });
      const realInit = name === "core" ? (options) => coreInit(pkg, sdkRequire, options) : pkg.init;
      shim.init = function init(options, ...rest) {
        state.initCalls++;
        state.userOptions = describe(options);
        phase = "init";
        try {
          const ret = realInit.call(this, inject(options), ...rest);
          state.client = (ret && typeof ret.getOptions === "function" ? ret : null) || loadReal("core").getClient?.() || null;
          return ret;
        } catch (e) {
          state.initError = errorInfo(e);
          throw e;
        } finally {
          phase = "case";
        }
      };
      return shim;
    }

    // 4. Browser cases run in Node: give the browser SDK a page to describe.
    if (short === "browser") installFakePage(details);

    // 5. Run the case.
    phase = "case";
    try {
      require(caseFile);
      await new Promise((r) => setImmediate(r));
    } catch (e) {
      if (state.initError) {
        result.init_error = { ...state.initError, where: "init" };
      } else if (state.initCalls === 0) {
        result.init_error = { ...errorInfo(e), where: "case" };
      } else {
        details.case_error = errorInfo(e);
      }
    }
    details.user_options = state.userOptions;
    details.injected_options = { dsn: DSN, transport: "in-memory", debug: true, release: "oracle@1.0.0 unless the case sets one" };
    if (!result.init_error && state.initCalls === 0) {
      result.init_error = { name: "OracleError", message: "the case never called Sentry.init()", where: "case" };
    }
    if (result.init_error) {
      finish();
      return;
    }
    const core = loadReal("core");
    const api = loadReal(short);
    const client = state.client || core.getClient?.();
    if (!client) {
      result.init_error = { name: "OracleError", message: "init() returned no client and getClient() is empty", where: "init" };
      finish();
      return;
    }
    const options = client.getOptions();
    details.client_options = pick(options, [
      "sendDefaultPii",
      "dataCollection",
      "includeLocalVariables",
      "attachStacktrace",
      "tracesSampleRate",
      "maxBreadcrumbs",
    ]);
    details.integrations = Object.keys(client._integrations || {});
    const dc = typeof client.getDataCollectionOptions === "function" ? client.getDataCollectionOptions() : null;
    details.resolved_data_collection = dc ? describe(dc) : null;

    // 6. Observe: an error captured while handling the probe request.
    phase = "capture";
    const handler = require(path.join(config.workDir, "ticket-handler.cjs"));
    const ctx = { config, core, api, client, options, dc, short, details, handler, require, sdkRequire, loadReal };
    if (short === "node") await observeNode(ctx);
    else await observeScoped(ctx);
    await flush(api, core);
    const errorEvents = items(state.envelopes, "event").filter((e) =>
      e.exception?.values?.some((v) => v.value === "Ticket processing failed"),
    );
    const event = errorEvents[0] || null;
    details.event = event ? summarizeEvent(event) : null;
    if (!event) details.no_event = "no error event reached the transport (beforeSend, sampleRate or an integration dropped it)";
    const sessions = items(state.envelopes, "session");
    if (sessions.length) details.session_attrs = sessions.map((s) => s.attrs);

    // 7. Span probes (gen_ai, mcp) with sampling forced on for the probe only.
    phase = "span-probe";
    const before = state.envelopes.length;
    const spanProbe = await probeSpans(ctx);
    await flush(api, core);
    spanProbe.envelope_items = state.envelopes.slice(before).flatMap((env) => (env[1] || []).map((i) => i[0]?.type));
    const spanText = JSON.stringify(state.envelopes.slice(before), safeReplacer());
    details.span_probe = spanProbe;

    // 8. Classify (keys in CATEGORIES order).
    classify(ctx, event, spanProbe, spanText, result);
    result.collects = Object.fromEntries(CATEGORIES.map((c) => [c, result.collects[c]]));
    result.how = Object.fromEntries(CATEGORIES.map((c) => [c, result.how[c]]));
    if (uncaught.length) details.uncaught = uncaught;
    finish();
  } catch (e) {
    result.init_error = result.init_error || { ...errorInfo(e), where: "oracle" };
    details.oracle_stack = String(e?.stack || e).split("\n").slice(0, 8).join("\n");
    finish();
  }

  function finish() {
    phase = "done";
    if (uncaught.length) details.uncaught = uncaught;
    result.complete = true;
    write();
    process.exit(0);
  }
}

const TICKET_HANDLER_SOURCE = `'use strict';
// Written by the Sentry oracle: the frame whose locals and source context are checked.
function handleTicket(requestBody) {
  const ticketBody = 'customer text: ' + String(requestBody).slice(0, 60);
  const password = 'hunter2';
  const apiToken = 'tok_live_123';
  if (ticketBody.length > 0) {
    throw new Error('Ticket processing failed'); // the oracle checks this frame
  }
  return [ticketBody, password, apiToken];
}
function probeLocals() {
  const oracleProbe = 'ready';
  throw new Error('oracle local-variables probe ' + oracleProbe);
}
module.exports = { handleTicket, probeLocals };
`;

// ---------------------------------------------------------------------------
// Observation
// ---------------------------------------------------------------------------

async function observeNode(ctx) {
  const { api, handler, options, details, require } = ctx;
  if (options.includeLocalVariables) {
    // The async LocalVariables integration attaches locals from a worker's debugger
    // session; wait until it is ready (it marks thrown errors) before the real request.
    const start = Date.now();
    let ready = false;
    while (Date.now() - start < 3000 && !ready) {
      try {
        handler.probeLocals();
      } catch (e) {
        ready = Object.getOwnPropertySymbols(e).length > 0 || Object.keys(e).some((k) => /LOCAL_VARIABLES/.test(k));
      }
      if (!ready) await sleep(100);
    }
    details.local_variables_ready_ms = ready ? Date.now() - start : `not ready after ${Date.now() - start}ms`;
  }
  const http = require("node:http");
  const net = require("node:net");
  const getIso = api.getIsolationScope || ctx.core.getIsolationScope;
  const withIso = api.withIsolationScope || ctx.core.withIsolationScope;
  const server = http.createServer((req, res) => {
    // The request's isolation scope (forked by the SDK's http server instrumentation).
    const requestScope = getIso();
    // What an auth middleware (e.g. passport) leaves on the request: v8's requestData
    // copied it into event.user.
    req.user = { id: "user-1", email: "customer@example.com", username: "customer" };
    details.request_scope_has_request = Boolean(requestScope.getScopeData?.().sdkProcessingMetadata?.normalizedRequest);
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      // Whether the SDK's async context survives into the body's 'end' callback (it
      // does not in 10.x/11.x without tracing). The capture below runs in the request's
      // scope either way, as a framework error handler bound to the request would.
      details.scope_kept_in_end_callback = getIso() === requestScope;
      const capture = () => {
        try {
          handler.handleTicket(body);
        } catch (e) {
          api.captureException(e);
        }
      };
      if (withIso) withIso(requestScope, capture);
      else capture();
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const port = server.address().port;
  // A raw socket, so that the SDK's outgoing-http instrumentation does not see it.
  const raw =
    `POST ${PROBE.path}?${PROBE.query} HTTP/1.1\r\n` +
    `Host: 127.0.0.1:${port}\r\n` +
    `Content-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(PROBE.body)}\r\n` +
    `Cookie: ${PROBE.cookie}\r\n` +
    Object.entries(PROBE.headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join("") +
    `Connection: close\r\n\r\n${PROBE.body}`;
  const response = await new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(raw));
    let data = "";
    socket.on("data", (d) => (data += d));
    socket.on("end", () => resolve(data));
    socket.on("error", (e) => resolve(`socket error: ${e.message}`));
    setTimeout(() => {
      socket.destroy();
      resolve(data || "timeout");
    }, 5000).unref();
  });
  details.probe_response = response.split("\r\n")[0];
  await new Promise((r) => server.close(r));
  details.observation = "node: local http.Server created after init; one POST with cookies, headers, query and JSON body";
}

async function observeScoped(ctx) {
  const { api, core, handler, details } = ctx;
  // For @sentry/core and @sentry/browser there is no server; put the request on the
  // isolation scope the way server integrations do, so requestDataIntegration (when
  // installed) can attach it.
  const headers = {
    host: "api.example.com",
    "content-type": "application/json",
    cookie: PROBE.cookie,
    authorization: PROBE.headers.Authorization,
    "x-ticket-id": PROBE.headers["X-Ticket-Id"],
    "x-forwarded-for": PROBE.headers["X-Forwarded-For"],
  };
  const normalizedRequest = {
    url: `https://api.example.com${PROBE.path}?${PROBE.query}`,
    method: "POST",
    query_string: PROBE.query,
    headers,
    data: PROBE.body,
  };
  const withIso = api.withIsolationScope || core.withIsolationScope;
  const run = (scope) => {
    const iso = scope || (api.getIsolationScope || core.getIsolationScope)();
    iso.setSDKProcessingMetadata({ normalizedRequest, ipAddress: PROBE.socketIp });
    try {
      handler.handleTicket(PROBE.body);
    } catch (e) {
      api.captureException(e);
    }
  };
  if (withIso) withIso(run);
  else run(null);
  details.observation =
    "normalizedRequest (cookies, headers, query, JSON body, ipAddress) set on the isolation scope via " +
    "setSDKProcessingMetadata, then captureException" +
    (ctx.short === "browser" ? "; fake page location/document.referrer/navigator for httpContextIntegration" : "");
}

function installFakePage(details) {
  const pageUrl = `https://app.example.com${PROBE.path}?${PROBE.query}`;
  const set = (name, value) => {
    try {
      Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
    } catch {
      /* ignore */
    }
  };
  if (!globalThis.location) set("location", new URL(pageUrl));
  // WINDOW is globalThis in the browser SDK: give it the listener API a window has.
  if (!globalThis.navigator?.userAgent) set("navigator", { userAgent: "Mozilla/5.0 (X11; Linux x86_64) SentryOracle/1.0", language: "en" });
  if (typeof globalThis.addEventListener !== "function") set("addEventListener", () => {});
  if (typeof globalThis.removeEventListener !== "function") set("removeEventListener", () => {});
  if (!globalThis.document) {
    set("document", {
      location: globalThis.location,
      referrer: `https://ref.example.com/search?ticket=T-1&token=abc&page=2`,
      cookie: PROBE.cookie,
      visibilityState: "visible",
      readyState: "complete",
      addEventListener() {},
      removeEventListener() {},
    });
  }
  details.fake_page = { location: pageUrl, referrer: globalThis.document?.referrer, user_agent: globalThis.navigator?.userAgent };
}

async function probeSpans(ctx) {
  const { api, core, client, options } = ctx;
  const probe = {};
  const forced = !(options.tracesSampleRate > 0 || typeof options.tracesSampler === "function" || options.enableTracing);
  const saved = { tracesSampleRate: options.tracesSampleRate };
  if (forced) options.tracesSampleRate = 1;
  probe.sampling_forced = forced;
  // Only what the case's own package offers: @sentry/core cases also see @sentry/core/server
  // (where the core-based server SDKs get MCP/AI helpers in v11).
  const pick1 = (name) =>
    api[name] || (ctx.short === "core" ? tryRequire(ctx.sdkRequire, "@sentry/core/server")?.[name] : undefined);
  const startSpan = api.startSpan || core.startSpan;
  try {
    const instrumentOpenAi = pick1("instrumentOpenAiClient");
    if (instrumentOpenAi && startSpan) {
      const fake = {
        chat: {
          completions: {
            create: async (params) => ({
              id: "chatcmpl-oracle",
              object: "chat.completion",
              model: params.model,
              created: 0,
              choices: [{ index: 0, message: { role: "assistant", content: MARK.completion }, finish_reason: "stop" }],
              usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
            }),
          },
        },
      };
      const wrapped = instrumentOpenAi(fake);
      await startSpan({ name: "oracle-genai-probe", forceTransaction: true }, async () => {
        await wrapped.chat.completions.create({
          model: "gpt-4o-mini",
          messages: [{ role: "user", content: MARK.prompt }],
        });
      });
      probe.gen_ai = "instrumentOpenAiClient(fake OpenAI client).chat.completions.create inside startSpan";
    }
  } catch (e) {
    probe.gen_ai_error = errorInfo(e);
  }
  try {
    const wrapMcp = pick1("wrapMcpServerWithSentry");
    if (wrapMcp) {
      const server = {
        server: {},
        tool() {},
        resource() {},
        prompt() {},
        registerTool() {},
        registerResource() {},
        registerPrompt() {},
        async connect(transport) {
          transport.onmessage = (message) => {
            if (message?.method === "tools/call") {
              transport.send({
                jsonrpc: "2.0",
                id: message.id,
                result: { content: [{ type: "text", text: MARK.mcpResult }], isError: false },
              });
            }
          };
          await transport.start?.();
        },
      };
      const transport = {
        sessionId: "oracle-session",
        async start() {},
        async send() {},
        async close() {},
      };
      const wrapped = wrapMcp(server);
      await wrapped.connect(transport);
      transport.onmessage?.(
        { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", clientInfo: { name: "oracle", version: "1" }, capabilities: {} } },
        {},
      );
      await transport.send?.({ jsonrpc: "2.0", id: 1, result: { protocolVersion: "2025-06-18", serverInfo: { name: "oracle-server", version: "1" }, capabilities: {} } });
      transport.onmessage?.(
        { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "lookup_ticket", arguments: { ticket_text: MARK.mcpArg } } },
        {},
      );
      await sleep(50);
      probe.mcp = "wrapMcpServerWithSentry(fake server) + fake transport: initialize, then tools/call with one argument";
    }
  } catch (e) {
    probe.mcp_error = errorInfo(e);
  }
  if (forced) options.tracesSampleRate = saved.tracesSampleRate;
  void client;
  return probe;
}

// ---------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------

function classify(ctx, event, spanProbe, spanText, result) {
  const { dc, options, details, short } = ctx;
  const collects = result.collects;
  const how = result.how;
  const reasons = (details.resolution = {});
  const set = (cat, state, via, reason) => {
    collects[cat] = state;
    how[cat] = via;
    if (reason) reasons[cat] = reason;
  };
  const req = event?.request || {};
  const lower = (obj) => Object.fromEntries(Object.entries(obj || {}).map(([k, v]) => [k.toLowerCase(), v]));
  const headers = lower(req.headers);

  // user_info: an IP (or user data) the SDK put on the event, or IP inference it asked Relay for.
  {
    const ip = event?.user?.ip_address;
    const infer = event?.sdk?.settings?.infer_ip;
    const sessionIp = (details.session_attrs || []).map((a) => a?.ip_address).find(Boolean);
    details.user_info_evidence = { user: event?.user ?? null, infer_ip: infer ?? null, platform: event?.platform, session_ip: sessionIp ?? null };
    if (!event) set("user_info", "off", "observed", "no event");
    else if (event.user?.email === "customer@example.com" || event.user?.id === "user-1")
      set("user_info", "collected", "observed", `user ${JSON.stringify(event.user)} copied from the request by the SDK`);
    else if (ip && ip !== "{{auto}}") set("user_info", "collected", "observed", `user.ip_address=${ip} set by the SDK`);
    else if (ip === "{{auto}}") set("user_info", "collected", "observed", "user.ip_address={{auto}}: Relay infers the client IP");
    else if (infer === "auto") set("user_info", "collected", "observed", "sdk.settings.infer_ip='auto': Relay infers the client IP");
    else if (infer === "never") set("user_info", "off", "observed", "sdk.settings.infer_ip='never'");
    else if (short === "browser" && event.platform === "javascript")
      set(
        "user_info",
        "collected",
        "observed",
        "no infer_ip setting and no ip_address on a platform=javascript event: Relay's legacy default infers the IP (the SDK does not opt out)",
      );
    else set("user_info", "off", "observed", "no ip_address, no infer_ip");
  }

  // cookies: request.cookies, or a raw Cookie header.
  {
    const cookies = req.cookies;
    const rawHeader = headers.cookie;
    if (!event) set("cookies", "off", "observed");
    else if ((cookies && cookies.sessionid === "s3cr3t") || (typeof rawHeader === "string" && rawHeader.includes("s3cr3t")))
      set("cookies", "collected", "observed", cookies ? "request.cookies.sessionid in clear" : "raw Cookie header in request.headers");
    else if (cookies && (cookies.theme === "dark" || Object.keys(cookies).length) )
      set("cookies", "filtered", "observed", `request.cookies=${JSON.stringify(cookies)}`);
    else if (typeof rawHeader === "string" && rawHeader.includes("theme=dark"))
      set("cookies", "filtered", "observed", "Cookie header present with sensitive cookie filtered");
    else set("cookies", "off", "observed", "no request.cookies and no Cookie header");
  }

  // http_headers
  {
    const auth = headers.authorization;
    const ticket = headers["x-ticket-id"];
    if (!event || !req.headers || Object.keys(req.headers).length === 0) set("http_headers", "off", "observed", "no request.headers");
    else if (auth === "Bearer abc") set("http_headers", "collected", "observed", "Authorization in clear");
    else if (ticket === "42") set("http_headers", "filtered", "observed", `Authorization=${auth ?? "(removed)"}, X-Ticket-Id=42`);
    else if ("x-ticket-id" in headers || "authorization" in headers) {
      // The probe's headers were seen but both filtered (e.g. a deny term matched
      // X-Ticket-Id): filtered if any other header kept its value.
      const kept = Object.entries(headers).filter(([, v]) => v !== FILTERED).map(([k]) => k);
      set(
        "http_headers",
        kept.length ? "filtered" : "off",
        "observed",
        `Authorization=${auth ?? "(removed)"}, X-Ticket-Id=${ticket ?? "(removed)"}; kept: ${kept.join(", ") || "none"}`,
      );
    } else {
      // Headers were sent but none of the probe's: the browser collects only Referer and
      // User-Agent. Ask the SDK's own filter what it does with a sensitive header.
      const filter = ctx.core._INTERNAL_filterKeyValueData;
      const behavior = dc?.httpHeaders?.request;
      if (filter && behavior !== undefined) {
        const probe = filter({ Authorization: "Bearer abc", "X-Ticket-Id": "42", "Accept-Language": "en" }, behavior);
        details.header_filter_probe = { behavior, result: probe };
        const kept = Object.values(probe).some((v) => v !== FILTERED);
        const state = probe.Authorization === "Bearer abc" ? "collected" : kept ? "filtered" : "off";
        set("http_headers", state, "resolved", `headers sent: ${Object.keys(req.headers).join(", ")}; _INTERNAL_filterKeyValueData with httpHeaders.request`);
      } else {
        set("http_headers", "collected", "resolved", `headers sent: ${Object.keys(req.headers).join(", ")}; this version has no header filter code`);
      }
    }
  }

  // request_bodies
  {
    const data = req.data;
    const text = data === undefined ? "" : typeof data === "string" ? data : JSON.stringify(data);
    if (!event || !text) set("request_bodies", "off", "observed", "no request.data");
    else if (/"password"\s*:\s*"x"/.test(text) || (typeof data === "object" && data?.password === "x"))
      set("request_bodies", "collected", "observed", `request.data=${text.slice(0, 200)}`);
    else if (text.includes("customer text")) set("request_bodies", "filtered", "observed", `request.data=${text.slice(0, 200)}`);
    else set("request_bodies", "off", "observed", `request.data without the probe body: ${text.slice(0, 100)}`);
    if (short !== "node" && text) {
      reasons.request_bodies +=
        "; the body was put on the scope by the oracle: this shows requestData attaches it at read time. " +
        describeBodyWrite(ctx);
    }
  }

  // query_params
  {
    const qs = req.query_string;
    const texts = [typeof qs === "string" ? qs : qs ? new URLSearchParams(qs).toString() : "", req.url || ""];
    const all = texts.join(" ");
    if (!event) set("query_params", "off", "observed");
    else if (/token=abc/.test(all)) set("query_params", "collected", "observed", `query_string=${JSON.stringify(qs)} url=${req.url}`);
    else if (/ticket=T-1/.test(all)) set("query_params", "filtered", "observed", `query_string=${JSON.stringify(qs)} url=${req.url}`);
    else set("query_params", "off", "observed", `no query in request (url=${req.url ?? "none"})`);
  }

  // frame_variables / source_context: the handleTicket frame.
  {
    const frame = findFrame(event);
    const vars = frame?.vars;
    if (!event || !frame) {
      set("frame_variables", "off", "observed", "no handleTicket frame");
      set("source_context", "off", "observed", "no handleTicket frame");
    } else {
      if (!vars || Object.keys(vars).length === 0) set("frame_variables", "off", "observed", "no frame.vars");
      else if (vars.password === "hunter2") set("frame_variables", "collected", "observed", `vars=${JSON.stringify(vars)}`);
      else if (typeof vars.ticketBody === "string" && vars.ticketBody.startsWith("customer text"))
        set("frame_variables", "filtered", "observed", `vars=${JSON.stringify(vars)}`);
      else set("frame_variables", "off", "observed", `vars without ticketBody: ${JSON.stringify(vars)}`);
      if (frame.context_line !== undefined)
        set(
          "source_context",
          "collected",
          "observed",
          `context_line + ${frame.pre_context?.length ?? 0} pre / ${frame.post_context?.length ?? 0} post lines`,
        );
      else set("source_context", "off", "observed", "no context_line on the frame");
    }
  }

  // outgoing_bodies: look for any code that reads httpBodies 'outgoingRequest'.
  {
    const hits = scan(ctx, /includes\(\s*["']outgoingRequest["']\s*\)/);
    if (hits.length && dc) {
      const on = dc.httpBodies.includes("outgoingRequest");
      set("outgoing_bodies", on ? "collected" : "off", "resolved", `read in ${hits.join(", ")}`);
    } else {
      set("outgoing_bodies", "off", "absent", "no code in the installed packages captures outgoing request bodies (only sizes)");
    }
  }

  // gen_ai
  {
    const hasIn = spanText.includes(MARK.prompt);
    const hasOut = spanText.includes(MARK.completion);
    if (spanProbe.gen_ai && spanText.includes("oracle-genai-probe")) {
      set("gen_ai_inputs", hasIn ? "collected" : "off", "observed", hasIn ? "prompt in span attributes" : "prompt not in the transaction");
      set("gen_ai_outputs", hasOut ? "collected" : "off", "observed", hasOut ? "completion in span attributes" : "completion not in the transaction");
    } else if (spanProbe.gen_ai) {
      const why = "probe transaction not sent (tracing could not be forced for this client)";
      const r = resolveGenAiFallback(ctx);
      set("gen_ai_inputs", r.inputs, "resolved", `${why}; ${r.reason}`);
      set("gen_ai_outputs", r.outputs, "resolved", `${why}; ${r.reason}`);
    } else {
      const r = resolveGenAiFallback(ctx);
      set("gen_ai_inputs", r.inputs, r.how, r.reason);
      set("gen_ai_outputs", r.outputs, r.how, r.reason);
    }
  }

  // mcp
  {
    if (spanProbe.mcp && /tools\/call/.test(spanText)) {
      const i = spanText.includes(MARK.mcpArg);
      const o = spanText.includes(MARK.mcpResult);
      set("mcp_inputs", i ? "collected" : "off", "observed", i ? "tool argument in span" : "tools/call span without the argument");
      set("mcp_outputs", o ? "collected" : "off", "observed", o ? "tool result in span" : "tools/call span without the result content");
    } else if (spanProbe.mcp) {
      set("mcp_inputs", "off", "resolved", "wrapMcpServerWithSentry present but the probe produced no tools/call span");
      set("mcp_outputs", "off", "resolved", "wrapMcpServerWithSentry present but the probe produced no tools/call span");
    } else {
      set("mcp_inputs", "off", "absent", "the package exports no wrapMcpServerWithSentry");
      set("mcp_outputs", "off", "absent", "the package exports no wrapMcpServerWithSentry");
    }
  }

  // database_query_data: Supabase is the only integration in these packages that attaches
  // query values (filters, bodies); others record only the statement text.
  {
    const hasSupabase = typeof ctx.api.supabaseIntegration === "function";
    const src = readPkgFile(ctx, "core", "integrations/supabase.js");
    if (!hasSupabase || !src) set("database_query_data", "off", "absent", "no supabaseIntegration in the package");
    else {
      const m = /shouldSendData\s*=\s*([^;\n]+)/.exec(src);
      const expr = m ? m[1].trim() : null;
      let on;
      if (!expr) on = true;
      else if (/databaseQueryData/.test(expr)) on = dc?.databaseQueryData === true;
      else if (/userInfo/.test(expr)) on = dc?.userInfo === true;
      else if (/sendDefaultPii/.test(expr)) on = options.sendDefaultPii === true;
      else on = true;
      set(
        "database_query_data",
        on ? "collected" : "off",
        "resolved",
        expr ? `supabase.js: shouldSendData = ${expr}` : "supabase.js attaches db.query/db.body unconditionally",
      );
    }
  }

  // queue_arguments: message keys/arguments on messaging spans.
  {
    if (short !== "node") set("queue_arguments", "off", "absent", "no queue integrations in this package");
    else {
      const gated = scan(ctx, /queues\s*===\s*false|\.queues\b/);
      const keyed = scan(ctx, /messaging\.kafka\.message\.key|ATTR_MESSAGING_KAFKA_MESSAGE_KEY\]/, true);
      if (gated.length) {
        const on = dc?.queues !== false;
        set("queue_arguments", on ? "collected" : "off", "resolved", `kafka message key gated by dataCollection.queues (${gated.join(", ")})`);
      } else if (keyed.length) {
        set("queue_arguments", "collected", "resolved", `kafka message key recorded ungated (${keyed.join(", ")})`);
      } else set("queue_arguments", "off", "absent", "no queue instrumentation records message keys or arguments");
    }
  }

  // graphql
  {
    const integ = short === "node" ? "graphqlIntegration" : short === "browser" ? "graphqlClientIntegration" : null;
    if (!integ || typeof ctx.api[integ] !== "function") {
      set("graphql_document", "off", "absent", "no GraphQL integration in this package");
    } else {
      const gated = scan(ctx, /graphQL\??\.document/);
      if (gated.length) {
        const on = dc?.graphQL?.document === true;
        set("graphql_document", on ? "collected" : "off", "resolved", `${integ}: document gated by dataCollection.graphQL.document (${gated.join(", ")})`);
      } else {
        set(
          "graphql_document",
          "collected",
          "resolved",
          short === "node"
            ? `${integ} (OpenTelemetry graphql instrumentation) records graphql.source ungated (literal values replaced by the instrumentation)`
            : `${integ} attaches graphql.document ungated`,
        );
      }
    }
    const vars = scan(ctx, /graphQL\??\.variables/);
    if (vars.length && integ && typeof ctx.api[integ] === "function") {
      const on = dc?.graphQL?.variables === true;
      set("graphql_variables", on ? "collected" : "off", "resolved", `gated by dataCollection.graphQL.variables (${vars.join(", ")})`);
    } else {
      set("graphql_variables", "off", "absent", "no code in the installed packages records GraphQL variables");
    }
  }
}

function describeBodyWrite(ctx) {
  const hits = scan(ctx, /maxRequestBodySize\s*\?\?\s*\(?[^;]*httpBodies\.includes\(\s*["']incomingRequest["']\s*\)/);
  if (hits.length) {
    const on = ctx.dc?.httpBodies?.includes("incomingRequest");
    return `Server integrations write it only when httpBodies includes 'incomingRequest' (now ${on}) unless maxRequestBodySize is set (${hits.join(", ")}).`;
  }
  return "No installed code gates the write by httpBodies: server integrations store the body whenever they capture it.";
}

function resolveGenAiFallback(ctx) {
  const { short } = ctx;
  const vercel = short === "node" ? readPkgFile(ctx, "node", "integrations/tracing/vercelai/instrumentation.js") : null;
  if (vercel && /recordInputs:\s*false/.test(vercel) && !/getDataCollectionOptions|sendDefaultPii/.test(vercel)) {
    return {
      inputs: "off",
      outputs: "off",
      how: "resolved",
      reason: "only vercelAIIntegration: it sets experimental_telemetry {recordInputs:false, recordOutputs:false} unless the call sets isEnabled",
    };
  }
  return { inputs: "off", outputs: "off", how: "absent", reason: "the package exports no AI instrumentation (instrumentOpenAiClient)" };
}

function findFrame(event) {
  for (const value of event?.exception?.values || []) {
    for (const frame of value.stacktrace?.frames || []) {
      if (frame.function === "handleTicket" || /handleTicket/.test(frame.function || "")) return frame;
    }
  }
  return null;
}

function summarizeEvent(event) {
  const frame = findFrame(event);
  return {
    platform: event.platform,
    sdk: event.sdk ? { name: event.sdk.name, version: event.sdk.version, settings: event.sdk.settings } : undefined,
    user: event.user,
    request: event.request,
    frame: frame
      ? {
          filename: frame.filename ? path.basename(frame.filename) : undefined,
          function: frame.function,
          in_app: frame.in_app,
          vars: frame.vars,
          context_line: frame.context_line,
          pre_context: frame.pre_context?.length,
          post_context: frame.post_context?.length,
        }
      : null,
    breadcrumbs: (event.breadcrumbs || []).length,
    contexts: Object.keys(event.contexts || {}),
  };
}

// ---------------------------------------------------------------------------
// Reading the installed packages
// ---------------------------------------------------------------------------

const PKG_SETS = {
  node: ["core", "node", "node-core", "server-utils", "opentelemetry"],
  browser: ["core", "browser", "browser-utils"],
  core: ["core"],
};
const OTEL_KAFKA = "@opentelemetry/instrumentation-kafkajs/build/src";

function pkgRoot(sdkDir, name) {
  const base = path.join(sdkDir, "node_modules/@sentry", name);
  for (const sub of ["build/esm", "build/npm/esm/prod", "build/npm/esm"]) {
    const dir = path.join(base, sub);
    if (fs.existsSync(dir)) return dir;
  }
  return null;
}

function listJs(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) listJs(p, out);
    else if (entry.name.endsWith(".js")) out.push(p);
  }
  return out;
}

const fileCache = new Map();
function filesFor(ctx, withOtel) {
  const key = `${ctx.short}:${withOtel}`;
  if (!fileCache.has(key)) {
    const files = [];
    for (const name of PKG_SETS[ctx.short] || ["core"]) {
      const root = pkgRoot(ctx.config.sdkDir, name);
      if (root) files.push(...listJs(root));
    }
    if (withOtel) {
      const otel = path.join(ctx.config.sdkDir, "node_modules", OTEL_KAFKA);
      if (fs.existsSync(otel)) files.push(...listJs(otel));
    }
    fileCache.set(key, files);
  }
  return fileCache.get(key);
}

function scan(ctx, regex, withOtel = false) {
  const hits = [];
  for (const file of filesFor(ctx, withOtel)) {
    if (/[\\/](data-collection|types)[\\/]/.test(file)) continue; // the resolver names every option
    const text = fs.readFileSync(file, "utf8");
    if (regex.test(text)) hits.push(path.relative(path.join(ctx.config.sdkDir, "node_modules"), file));
  }
  return hits;
}

function readPkgFile(ctx, name, rel) {
  const root = pkgRoot(ctx.config.sdkDir, name);
  if (!root) return null;
  try {
    return fs.readFileSync(path.join(root, rel), "utf8");
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function coreInit(core, sdkRequire, options) {
  // @sentry/core has no init(): do what the core-based server SDKs (Cloudflare, Vercel
  // Edge) do: initAndBind(ServerRuntimeClient, ...) with their default integrations.
  const server = tryRequire(sdkRequire, "@sentry/core/server") || {};
  const Client = core.ServerRuntimeClient || server.ServerRuntimeClient;
  const lineParser = core.nodeStackLineParser || server.nodeStackLineParser;
  if (!Client) throw new Error("this @sentry/core has no ServerRuntimeClient");
  const filters = core.eventFiltersIntegration || core.inboundFiltersIntegration;
  const defaults = [
    filters && filters(),
    core.functionToStringIntegration?.(),
    core.linkedErrorsIntegration?.(),
    core.dedupeIntegration?.(),
    core.requestDataIntegration?.(),
  ].filter(Boolean);
  const integrations = core.getIntegrationsToSetup
    ? core.getIntegrationsToSetup({ ...options, defaultIntegrations: options.defaultIntegrations ?? defaults })
    : [...defaults, ...(Array.isArray(options.integrations) ? options.integrations : [])];
  const clientOptions = {
    ...options,
    integrations,
    stackParser: options.stackParser || core.createStackParser(lineParser()),
  };
  return core.initAndBind(Client, clientOptions);
}

function items(envelopes, type) {
  const out = [];
  for (const env of envelopes) {
    for (const item of env?.[1] || []) {
      if (item?.[0]?.type === type) out.push(item[1]);
    }
  }
  return out;
}

async function flush(api, core) {
  try {
    await (api.flush || core.flush)?.(3000);
  } catch {
    /* ignore */
  }
  await sleep(20);
}

function typeCheck(config, source) {
  try {
    const ts = loadTypeScript(config.toolsDir);
    const typeRoots = [path.join(config.toolsDir, "node_modules/@types")].filter((p) => fs.existsSync(p));
    const isJs = /\.[cm]?js$/.test(config.caseAbs);
    const options = {
      noEmit: true,
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      esModuleInterop: true,
      skipLibCheck: true,
      allowJs: isJs,
      checkJs: isJs,
      lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
      types: typeRoots.length && fs.existsSync(path.join(typeRoots[0], "node")) ? ["node"] : [],
      typeRoots,
      baseUrl: config.sdkDir,
      paths: { "@sentry/*": ["node_modules/@sentry/*"] },
    };
    const host = ts.createCompilerHost(options);
    const program = ts.createProgram({ rootNames: [config.caseAbs], options, host });
    const sourceFile = program.getSourceFile(config.caseAbs);
    const diags = ts.getPreEmitDiagnostics(program).filter((d) => !d.file || d.file === sourceFile);
    void source;
    return diags.map((d) => {
      const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : null;
      return {
        code: d.code,
        message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
        line: pos ? pos.line + 1 : null,
        column: pos ? pos.character + 1 : null,
        category: ts.DiagnosticCategory[d.category].toLowerCase(),
      };
    });
  } catch (e) {
    return [{ code: null, message: `type check failed: ${e?.message || e}`, line: null, column: null, category: "oracle" }];
  }
}

let tsModule = null;
function loadTypeScript(toolsDir) {
  if (!tsModule) {
    const req = createRequire(path.join(toolsDir, "package.json"));
    tsModule = req("typescript");
  }
  return tsModule;
}

function tryRequire(req, id) {
  try {
    return req(id);
  } catch {
    return null;
  }
}

function errorInfo(e) {
  if (e && typeof e === "object" && "message" in e) return { name: e.name || "Error", message: String(e.message) };
  return { name: typeof e, message: String(e) };
}

function pick(obj, keys) {
  const out = {};
  for (const k of keys) if (obj && obj[k] !== undefined) out[k] = describe(obj[k]);
  return out;
}

function describe(value, depth = 0) {
  if (value === null || value === undefined) return value;
  if (typeof value === "function") return `[Function ${value.name || "anonymous"}]`;
  if (typeof value !== "object") return value;
  if (depth > 6) return "[…]";
  if (Array.isArray(value)) return value.map((v) => describe(v, depth + 1));
  if (typeof value.name === "string" && (typeof value.setupOnce === "function" || typeof value.setup === "function" || typeof value.processEvent === "function"))
    return `[Integration ${value.name}]`;
  if (value instanceof RegExp) return String(value);
  const out = {};
  for (const [k, v] of Object.entries(value)) out[k] = describe(v, depth + 1);
  return out;
}

function safeReplacer() {
  const seen = new WeakSet();
  return (_key, value) => {
    if (typeof value === "bigint") return String(value);
    if (typeof value === "function") return `[Function ${value.name || "anonymous"}]`;
    if (value instanceof Uint8Array) return `[bytes ${value.length}]`;
    if (value && typeof value === "object") {
      if (seen.has(value)) return "[Circular]";
      seen.add(value);
    }
    return value;
  };
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// Entry point (last, so that every module-level binding above is initialised).
if (process.env.SENTRY_ORACLE_CHILD) {
  await childMain(JSON.parse(process.env.SENTRY_ORACLE_CHILD));
} else if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  await parentMain(process.argv.slice(2));
}

// A help-desk endpoint that fails, run under `sentry-privacy-audit capture`.
//
//     node ticket_app.cjs leaky|fixed SDK_FOLDER
//
// @sentry/node from SDK_FOLDER/node_modules (the pinned oracle install) sends to SENTRY_DSN. A
// local HTTP server receives a POST with the ticket form as its JSON body; the handler puts the
// conversation in `extra` and throws with the ticket in its local variables. `leaky` is the
// configuration the review found (sendDefaultPii, local variables, request bodies); `fixed`
// turns them off and drops the customer fields in beforeSend.
"use strict";

const path = require("node:path");
const http = require("node:http");

const [mode, sdkFolder] = process.argv.slice(2);
const Sentry = require(path.join(path.resolve(sdkFolder), "node_modules", "@sentry", "node"));

const CUSTOMER_FIELDS = ["ticket_data", "intake_content", "conversation_messages"];

Sentry.init(
  mode === "leaky"
    ? { dsn: process.env.SENTRY_DSN, sendDefaultPii: true, includeLocalVariables: true }
    : {
        dsn: process.env.SENTRY_DSN,
        sendDefaultPii: false,
        includeLocalVariables: false,
        integrations: [Sentry.httpIntegration({ maxIncomingRequestBodySize: "none" })],
        beforeSend(event) {
          for (const key of CUSTOMER_FIELDS) if (event.extra) delete event.extra[key];
          return event;
        },
      },
);

function escalate(ticket_data) {
  const intake_content = ticket_data.intake_content;
  if (intake_content) throw new Error("could not escalate ticket 881");
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  if (mode === "leaky") {
    // The local-variables integration attaches locals from a debugger session started in the
    // background: wait until thrown errors carry them.
    for (let i = 0; i < 30; i++) {
      try {
        escalate({ intake_content: "probe" });
      } catch (e) {
        if (Object.getOwnPropertySymbols(e).length > 0 || Object.keys(e).length > 0) break;
      }
      await sleep(100);
    }
  }
  const server = http.createServer((req, res) => {
    // The request's scope, which the SDK's http instrumentation filled with the request; a
    // framework's error handler runs in it, as the capture below does.
    const requestScope = Sentry.getIsolationScope();
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      Sentry.withIsolationScope(requestScope, () => {
        Sentry.setExtra("conversation_messages", ["Can you reset the fuser on floor 3?"]);
        try {
          escalate(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch (e) {
          Sentry.captureException(e);
        }
      });
      res.writeHead(500, { "content-type": "text/plain" });
      res.end("failed");
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const body = JSON.stringify({
    ticket_data: { subject: "Printer offline" },
    intake_content: "My printer on floor 3 shows error 0x45",
  });
  await new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: server.address().port,
        path: "/api/tickets/881/escalate",
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.7" },
      },
      (res) => {
        res.resume();
        res.on("end", resolve);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
  await new Promise((r) => server.close(r));
  await Sentry.flush(10000);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(3);
  },
);

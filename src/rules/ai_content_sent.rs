//! SPA007 ai-content-sent (AC5): AI prompts and responses (or MCP tool data) are collected while the project uses an AI client.
//!
//! **What:** an init whose SDK, at the installed version, records GenAI inputs or outputs, or MCP
//! tool arguments or results, while the project uses an AI client: an AI package in its
//! manifests or lockfiles (`openai`, `anthropic`, `@anthropic-ai/sdk`, `langchain*`,
//! `@langchain/*`, `ai`, `@google/genai`, `mistralai`, `litellm`, `mcp`...) or an AI integration in
//! the init (`OpenAIIntegration(...)`, `Sentry.openAIIntegration()`). The cause may be
//! `send_default_pii=True`/`sendDefaultPii: true`, a `data_collection`/`dataCollection` that leaves
//! `gen_ai`/`genAI` on (its default), the 11.x defaults, or sentry-sdk's MCP integration, which
//! records tool arguments whatever `send_default_pii` says.
//!
//! **Why:** in this product, prompts and completions are customer conversations: the AI chat
//! transcripts and the FlowPilot sessions.
//!
//! **Example:**
//! ```python
//! sentry_sdk.init(dsn=DSN, data_collection={})   # error when the project uses openai
//! sentry_sdk.init(dsn=DSN, data_collection={"gen_ai": {"inputs": False, "outputs": False}})   # fine
//! ```
//!
//! **Fix safety:** unsafe: `gen_ai`/`genAI` is set to `{inputs: false, outputs: false}` in the
//! data-collection object (added to it, or, on 11.x and sentry-sdk 3, as a new option). When
//! `send_default_pii` decides, SPA001's fix turns it off.

use super::fixes::set_in_collection;
use super::{judge_category, Context};
use crate::diagnostic::Sink;
use crate::fix::Applicability;
use crate::model::Sdk;
use crate::policy::{self, Category, LibraryKind};

/// The packages that serve MCP tools.
const MCP_PACKAGES: &[&str] = &["mcp", "fastmcp", "@modelcontextprotocol/sdk"];

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    for sdk in [Sdk::Python, Sdk::Javascript] {
        for (file, init, policy) in ctx.judged(sdk) {
            let used = policy
                .libraries
                .iter()
                .find(|l| l.kind == LibraryKind::Ai)
                .map(|l| format!("the project uses `{}` ({})", l.name, l.source))
                .or_else(|| {
                    init.integrations
                        .iter()
                        .find(|i| policy::is_ai_integration(&i.name))
                        .map(|i| format!("the init sets up `{}`", i.name))
                });
            let Some(used) = used else { continue };
            // MCP data counts when the project serves MCP tools.
            let mcp = policy
                .libraries
                .iter()
                .any(|l| l.kind == LibraryKind::Ai && MCP_PACKAGES.contains(&l.name.as_str()))
                || init
                    .integrations
                    .iter()
                    .any(|i| i.name.to_ascii_lowercase().contains("mcp"));
            let mut categories = vec![Category::GenAiInputs, Category::GenAiOutputs];
            if mcp {
                categories.extend([Category::McpInputs, Category::McpOutputs]);
            }
            let found = categories.into_iter().find_map(|c| {
                judge_category(init, policy, c, "prompts and responses are recorded")
                    .map(|f| (c, f))
            });
            let Some((category, found)) = found else {
                continue;
            };
            let what = match category {
                Category::GenAiInputs | Category::GenAiOutputs => "AI prompts and responses",
                _ => "MCP tool arguments and results",
            };
            let (key, value) = match (sdk, category) {
                (Sdk::Python, Category::McpInputs | Category::McpOutputs)
                    if policy.py_segments.iter().all(|s| s.mcp) =>
                {
                    ("mcp", "{\"inputs\": False, \"outputs\": False}")
                }
                (Sdk::Python, _) => ("gen_ai", "{\"inputs\": False, \"outputs\": False}"),
                (_, Category::McpInputs | Category::McpOutputs)
                    if policy.js_segments.iter().all(|s| s.mcp) =>
                {
                    ("mcp", "{ inputs: false, outputs: false }")
                }
                _ => ("genAI", "{ inputs: false, outputs: false }"),
            };
            // A new data-collection option only where it is always on (11.x, sentry-sdk 3).
            let always = match sdk {
                Sdk::Python => policy.py_segments.iter().all(|s| s.legacy_removed),
                Sdk::Javascript => policy.js_segments.iter().all(|s| s.queues),
            };
            let fix = if policy.data_collection {
                set_in_collection(&ctx.files[file].text, init, key, value, always)
            } else {
                None
            };
            let help = match sdk {
                Sdk::Python if policy.data_collection => format!("set `data_collection[\"{key}\"]` to `{value}`"),
                Sdk::Python => "turn `send_default_pii` off, or pass `include_prompts=False` to the AI integrations".to_string(),
                Sdk::Javascript if policy.data_collection => format!("set `dataCollection.{key}` to `{value}`"),
                Sdk::Javascript => "turn `sendDefaultPii` off, or pass `recordInputs: false, recordOutputs: false` to the AI integrations".to_string(),
            };
            let definite = found.severity == crate::diagnostic::Severity::Error;
            let f = sink.report(
                file,
                found.range,
                found.severity,
                format!("the SDK records {what}, and {used}: {}", found.message),
                help,
            );
            f.fix = fix.map(|mut fx| {
                if !definite {
                    fx.applicability = fx.applicability.min(Applicability::Unsafe);
                }
                fx
            });
        }
    }
}

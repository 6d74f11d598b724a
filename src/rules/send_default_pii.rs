//! SPA001 send-default-pii (AC1): The Python SDK collects identity data: user info and IP addresses, or unfiltered cookies or headers.
//!
//! **What:** a Python `sentry_sdk.init(...)` (or `Client(...)`) whose SDK, at the installed version,
//! collects user ids, e-mail addresses or IP addresses, or cookies or request headers without
//! filtering. The cause may be `send_default_pii=True`, a `data_collection` dict that leaves
//! `user_info` on (sentry-sdk 2.70+, or `_experiments` from 2.65), or the version's defaults
//! (`data_collection` is always on in sentry-sdk 3). The finding is at the option that decides it,
//! else at the init call.
//!
//! **Why:** customer identities then reach Sentry, a sub-processor the data-processing agreement
//! must disclose.
//!
//! **Example:**
//! ```python
//! sentry_sdk.init(dsn=DSN, send_default_pii=True)   # error
//! sentry_sdk.init(dsn=DSN, send_default_pii=os.getenv("SENTRY_PII") == "1")   # warning
//! sentry_sdk.init(dsn=DSN, data_collection={})   # error on 2.70+: user_info defaults to on
//! ```
//! Use instead: leave `send_default_pii` out (off is the default; 2.72 deprecates the option), or
//! `data_collection={"user_info": False, ...}`.
//!
//! **Fix safety:** on 2.72 and later `send_default_pii=True` is removed, before it becomes `False`;
//! `data_collection["user_info"]` becomes `False`: safe for a literal, unsafe for an expression.
//! Adding `"user_info": False` to a `data_collection` that relies on the default is unsafe (it adds
//! code).

use super::Context;
use crate::diagnostic::Sink;
use crate::model::Sdk;

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    super::identity::check(ctx, sink, Sdk::Python);
}

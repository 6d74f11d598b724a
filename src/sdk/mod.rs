//! The installed Sentry SDK: which version governs an init, found in the lockfiles and manifests
//! around it ([`installed`]), and the version types that compare against the SDK tables
//! ([`version`]).

pub mod version;

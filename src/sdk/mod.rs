//! The installed Sentry SDK: which version governs an init, found in the lockfiles and manifests
//! around it ([`installed`]); the other libraries those files declare ([`Installed::declares`]);
//! the version types that compare against the SDK tables ([`version`]); and the tables of what
//! each release does with the options ([`facts`]).
//!
//! Every format is read with a maintained parser that reports positions (TOML through `toml`'s
//! spans, JSON and JSONC through `jsonc-parser`'s syntax tree, YAML through `yaml-rust2`'s marked
//! events), so that each answer names the line of the version and each problem the line of the
//! fault; only pip's requirements format, `setup.cfg` and yarn's v1 lockfile are read by hand.

mod cache;
mod declared;
pub mod facts;
pub mod installed;
mod json;
mod names;
mod npm;
mod python;
mod read;
pub mod version;
mod yaml;

pub use declared::Declared;
pub use installed::{Ecosystem, Found, Installed, Warning};
pub use version::{Version, VersionSpec};

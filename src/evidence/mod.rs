//! Evidence for the review, beyond the source: Sentry's server-side scrubbing rules generated from
//! the configuration ([`scrub_rules`]), and the audit of events and replay recordings as Sentry
//! receives them ([`events`]) and captured by a local endpoint ([`capture`]), and the review's
//! criteria judged from all of it ([`report`]).
//!
//! These commands read data (configurations, exported settings) rather than source, and never
//! reach back into the `check` pipeline's internals: they use its configuration and its findings.

pub mod args;
pub mod capture;
pub mod commands;
pub mod events;
pub mod report;
pub mod rules;
pub mod scrub_rules;

use std::process::ExitCode;

fn main() -> ExitCode {
    sentry_privacy_audit::run(std::env::args_os())
}

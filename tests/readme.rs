//! The README's generated sections (the rule table, each rule's documentation, and what each SDK
//! release sends) must match the registry, the rules' doc comments and the version tables.
//! `UPDATE_README=1 cargo test --test readme` rewrites them.

use std::path::Path;

#[test]
fn generated_sections_are_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let updated = sentry_privacy_audit::docs::update_readme(&readme).unwrap();
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(&path, &updated).unwrap();
        return;
    }
    if updated != readme {
        let diff = similar::TextDiff::from_lines(&readme, &updated)
            .unified_diff()
            .header("README.md", "generated")
            .to_string();
        panic!("README.md is out of date; run `UPDATE_README=1 cargo test --test readme`\n{diff}");
    }
}

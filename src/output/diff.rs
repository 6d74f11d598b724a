//! `--diff`: the unified diff of what `--fix` would change.

use std::io::Write;

use similar::TextDiff;

use crate::check::Report;

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for changed in &report.changed {
        let file = &report.files[changed.file];
        let diff = TextDiff::from_lines(changed.original.as_str(), file.text.as_str());
        write!(
            out,
            "{}",
            diff.unified_diff().context_radius(3).header(
                &format!("a/{}", file.display),
                &format!("b/{}", file.display)
            )
        )?;
    }
    Ok(())
}

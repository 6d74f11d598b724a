//! What the replay rules share: which masking options a replay integration turns off.

use crate::diagnostic::Sink;
use crate::model::{Literal, Replay, Verdict};

/// The three privacy switches of the replay integration (all default to `true`).
pub(crate) const MASK_ALL_TEXT: &str = "maskAllText";
pub(crate) const BLOCK_ALL_MEDIA: &str = "blockAllMedia";
pub(crate) const MASK_ALL_INPUTS: &str = "maskAllInputs";

/// A masking switch is off when its value is falsy and not `undefined` (which gives the default).
pub(crate) fn switched_off(l: &Literal) -> bool {
    !matches!(l, Literal::Undefined) && !l.truthy()
}

/// Is the switch off (or may it be)? Options spread from an unseen object make an unset switch
/// "maybe".
pub(crate) fn switch_verdict(replay: &Replay, name: &str) -> Verdict {
    match replay.options.get(name) {
        Some(opt) => opt.value.value.test(&switched_off),
        None if !replay.options.opaque.is_empty() => Verdict::Maybe,
        None => Verdict::No,
    }
}

/// The options a web switch is called on this replay: React Native's mobile replay has
/// `maskAllImages` and `maskAllVectors` for media, and masks inputs with the text.
pub(crate) fn switch_names(replay: &Replay, name: &'static str) -> &'static [&'static str] {
    match (replay.mobile, name) {
        (false, MASK_ALL_TEXT) => &[MASK_ALL_TEXT],
        (false, BLOCK_ALL_MEDIA) => &[BLOCK_ALL_MEDIA],
        (false, MASK_ALL_INPUTS) => &[MASK_ALL_INPUTS],
        (true, MASK_ALL_TEXT) => &[MASK_ALL_TEXT],
        (true, BLOCK_ALL_MEDIA) => &["maskAllImages", "maskAllVectors"],
        _ => &[],
    }
}

/// The switches that are (or may be) off, with their verdicts.
pub(crate) fn switches_off(replay: &Replay) -> Vec<(&'static str, Verdict)> {
    [MASK_ALL_TEXT, BLOCK_ALL_MEDIA, MASK_ALL_INPUTS]
        .into_iter()
        .flat_map(|n| switch_names(replay, n).iter().copied())
        .map(|n| (n, switch_verdict(replay, n)))
        .filter(|(_, v)| *v != Verdict::No)
        .collect()
}

/// Report one switch of every replay integration in the tree.
pub(crate) fn check_switch(
    ctx: &super::Context,
    sink: &mut Sink,
    name: &'static str,
    consequence: &str,
    help: &str,
) {
    for (file, init) in ctx.inits_of(crate::model::Sdk::Javascript) {
        if let Some(replay) = &init.replay {
            for name in switch_names(replay, name) {
                super::OptionRule {
                    name,
                    unsafe_value: &switched_off,
                    python: false,
                    consequence,
                    help,
                    safe_value: "true",
                }
                .judge(sink, file, &replay.options);
            }
        }
    }
}

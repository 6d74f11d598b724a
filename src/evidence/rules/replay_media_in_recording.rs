//! SPA312 replay-media-in-recording (AC2): a Session Replay recording holds the sources of images or media that are not blocked.
//!
//! **What:** in the rrweb events of a replay recording segment, `<img>`, `<video>`, `<audio>`,
//! `<source>`, `<picture>` and SVG `<image>` elements that keep a `src`, `srcset`, `poster`,
//! `href` or inlined data (`rr_dataURL`); blocked elements keep only their size. One finding per
//! segment, with the count and the JSON path of the first.
//!
//! **Why:** with `blockAllMedia` on (the default), the SDK replaces media with a placeholder of the
//! same size. A source in the recording means the replay shows the image: an uploaded screenshot,
//! a customer's file, an avatar.
//!
//! **Example:** `[0].data.node.childNodes[1].childNodes[0].attributes.src` of an `<img>`.
//!
//! **Fix safety:** no fix; keep `blockAllMedia` on (`check` reports SPA102 in the source).

use serde_json::Value;

/// The attribute that carries this element's media, if it is a media element that is not
/// blocked.
pub fn media_source(tag: &str, attributes: &Value) -> Option<&'static str> {
    if !matches!(
        tag,
        "img" | "video" | "audio" | "source" | "picture" | "image" | "track"
    ) {
        return None;
    }
    [
        "src",
        "srcset",
        "poster",
        "href",
        "xlink:href",
        "rr_dataURL",
    ]
    .into_iter()
    .find(|a| {
        attributes
            .get(*a)
            .and_then(Value::as_str)
            .is_some_and(|v| !v.trim().is_empty())
    })
}

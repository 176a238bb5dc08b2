//! Simple formatting for what learners write (reflections, descriptions): Markdown rendered
//! to HTML that cannot carry markup of its own. Raw HTML in the text is shown as text,
//! links keep only `http`, `https` and `mailto` targets (and open nothing by themselves),
//! images are shown as their description (no remote images: they would tell a third party
//! who reads the portfolio). The same code renders on the server and in the browser preview.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// Whether a link target is safe to keep.
fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

/// Renders `text` (Markdown) to HTML that is safe to insert into a page.
pub fn to_html(text: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    // Links with an unsafe target lose the link (their text stays); a kept link is closed
    // with the same decision.
    let mut link_kept: Vec<bool> = Vec::new();
    let mut in_image = 0usize;
    let events = Parser::new_ext(text, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let keep = safe_url(&dest_url);
            link_kept.push(keep);
            keep.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) => match link_kept.pop() {
            Some(true) => Some(Event::End(TagEnd::Link)),
            _ => None,
        },
        Event::Start(Tag::Image { .. }) => {
            in_image += 1;
            Some(Event::Text(CowStr::Borrowed("[image: ")))
        }
        Event::End(TagEnd::Image) => {
            in_image = in_image.saturating_sub(1);
            Some(Event::Text(CowStr::Borrowed("]")))
        }
        other => Some(other),
    });
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events);
    let _ = in_image;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_renders() {
        let html = to_html("# Week 3\n\nI learned **framing** and *levelling*.\n\n- one\n- two");
        assert!(html.contains("<h1>Week 3</h1>"));
        assert!(html.contains("<strong>framing</strong>"));
        assert!(html.contains("<em>levelling</em>"));
        assert!(html.contains("<li>one</li>"));
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> there");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn unsafe_links_lose_their_target_but_keep_their_text() {
        let html = to_html("[click](javascript:alert(1)) and [data](data:text/html;base64,xx)");
        assert!(!html.contains("href"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("click"));
        let ok = to_html("[site](https://example.org/a?b=1)");
        assert!(
            ok.contains(r#"<a href="https://example.org/a?b=1">site</a>"#),
            "{ok}"
        );
    }

    #[test]
    fn images_become_their_description() {
        let html = to_html("![my weld](https://tracker.example/p.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("[image: my weld]"), "{html}");
    }

    #[test]
    fn attribute_injection_in_link_titles_is_escaped() {
        let html = to_html(r#"[a](https://x.example "t\" onmouseover=\"alert(1)")"#);
        assert!(!html.contains("onmouseover=\"alert"), "{html}");
    }
}

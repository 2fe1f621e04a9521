//! Article HTML: each section's markdown rendered with pulldown-cmark, then sanitised with
//! ammonia so that scripts, event-handler attributes and `javascript:` links written in an
//! article never reach a browser through the API.

use catalog_indexer::markdown::{body_options, parse_body};
use pulldown_cmark::{Parser, html};

/// The sanitised HTML of every heading's section in `body`, in heading order: the markdown
/// after the heading up to the next heading of any level (the same span as the section text).
pub fn section_html(body: &str) -> Vec<(String, String)> {
    let parsed = parse_body(body, 0);
    let headings = &parsed.headings;
    headings
        .iter()
        .enumerate()
        .map(|(index, heading)| {
            let end = headings
                .get(index + 1)
                .map_or(body.len(), |next| next.range.start);
            let markdown = body.get(heading.range.end..end).unwrap_or_default();
            (heading.anchor.clone(), render(markdown))
        })
        .collect()
}

/// Renders markdown to sanitised HTML.
pub fn render(markdown: &str) -> String {
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(markdown, body_options()));
    ammonia::clean(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_event_handlers_are_removed() {
        let html = render(
            "Text <script>alert(1)</script> and <img src=x onerror=\"alert(2)\">\n\n[link](javascript:alert(3))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("Text"), "{html}");
    }

    #[test]
    fn sections_follow_headings_with_their_anchors() {
        let sections = section_html("# Title\n\nIntro.\n\n## Symptoms\n\n- slow *pages*\n");
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].0, "title");
        assert!(sections[0].1.contains("<p>Intro.</p>"));
        assert_eq!(sections[1].0, "symptoms");
        assert!(sections[1].1.contains("<em>pages</em>"));
    }
}

//! The web pages of `catalog serve`: `/` (search, facets as links, paging),
//! `/problems/{id}` (one problem) and `/stats` (progress and spread as SVG bars). Rendered on the server from the same search and store as
//! the JSON API, they work without JavaScript: the URL carries the whole state
//! (`/?q=…&category=…&offset=…`). The style sheet is inline; nothing is fetched from
//! elsewhere.

use std::fmt::Write as _;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use catalog_indexer::search::{FACETS, Filters, SearchRequest, SearchResponse};
use catalog_indexer::store::{EdgeView, Lookup, Stats, load_problem, stats};
use catalog_indexer::triage::{FindingKind, TriageInputError, TriageRequest, TriageResponse};

use super::problems::ProblemDocument;
use crate::context::AppContext;
use crate::error::{ApiError, ApiResult};
use crate::params::{MAX_OFFSET, MAX_QUERY_CHARS, RawQuery};

/// The search page's script (progressive enhancement), compiled into the binary.
const SEARCH_JS: &str = include_str!("../../assets/search.js");

/// `GET /assets/search.js`.
pub async fn search_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        SEARCH_JS,
    )
        .into_response()
}

/// Hits per page.
const PAGE: usize = 10;
/// Facet values listed per facet, most frequent first.
const FACET_VALUES: usize = 12;

const STYLE: &str = r#"
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #fff; --muted: #57606a; --line: #d0d7de; --accent: #0550ae; --mark: #fff3b0; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #30363d; --accent: #6cb6ff; --mark: #5c4a00; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header, main, footer { max-width: 68rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1rem; } header a { font-weight: 700; font-size: 1.2rem; color: var(--fg); text-decoration: none; }
a { color: var(--accent); }
a:focus-visible, input:focus-visible, button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
form.search { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 1rem 0; }
form.search label { flex-basis: 100%; color: var(--muted); }
input[type=search] { flex: 1; min-width: 12rem; font: inherit; padding: .5rem .7rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
button { font: inherit; padding: .5rem 1rem; border: 1px solid var(--line); border-radius: 6px; background: var(--accent); color: var(--bg); cursor: pointer; }
.layout { display: grid; grid-template-columns: 15rem 1fr; gap: 2rem; }
@media (max-width: 48rem) { .layout { grid-template-columns: 1fr; } }
nav h2 { font-size: .95rem; margin: 1rem 0 .3rem; text-transform: capitalize; }
nav ul { list-style: none; padding: 0; margin: 0; font-size: .9rem; }
nav li a[aria-current] { font-weight: 700; }
.count { color: var(--muted); }
ol.hits { padding-left: 1.5rem; } ol.hits > li { margin-bottom: 1.2rem; }
ol.hits h3 { margin: 0; font-size: 1.05rem; }
.meta { color: var(--muted); font-size: .85rem; margin: .1rem 0; }
.snippet b, .snippet mark { background: var(--mark); color: inherit; font-weight: 600; }
.sections { font-size: .9rem; margin: .2rem 0 0; padding-left: 1rem; }
nav li, .sections li { padding: 2px 0; line-height: 24px; }
.pager { display: flex; gap: 1rem; margin: 1rem 0 2rem; }
article h2 { border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
form.triage label { display: block; font-weight: 600; margin-top: .8rem; }
form.triage .hint { color: var(--muted); font-weight: 400; font-size: .85rem; }
textarea { width: 100%; font: .85rem/1.4 ui-monospace, monospace; padding: .5rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
textarea:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
form.triage > button { margin-top: .8rem; }
.checks li { margin: .4rem 0; } .checks button { padding: .2rem .7rem; margin-left: .3rem; }
button.no { background: var(--bg); color: var(--accent); border-color: var(--accent); }
.prob { font-variant-numeric: tabular-nums; color: var(--muted); }
pre { overflow-x: auto; padding: .7rem; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; } td, th { border: 1px solid var(--line); padding: .2rem .5rem; }
"#;

/// Escapes text for HTML element content and quoted attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A whole page around `body`.
fn page(title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"description\" content=\"Known production failures: symptoms, causes, \
         incidents and fixes.\"><link rel=\"icon\" href=\"data:,\">\
         <title>{}</title><style>{STYLE}</style>\
         <script src=\"/assets/search.js\" defer></script></head><body>\
         <header><a href=\"/\">catalog</a></header><main>{body}</main>\
         <footer><p class=\"meta\"><a href=\"/triage\">Triage</a> · \
         <a href=\"/stats\">Statistics</a> · \
         <a href=\"/docs/\">API</a></p></footer></body></html>",
        escape(title)
    );
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' https: data:; form-action 'self'",
            ),
        ],
        html,
    )
        .into_response()
}

/// What a search page shows: the URL's state.
#[derive(Debug, Clone, Default)]
struct PageState {
    q: String,
    filters: Vec<(String, String)>,
    offset: usize,
}

impl PageState {
    fn parse(raw: &RawQuery) -> PageState {
        let mut state = PageState::default();
        for (name, value) in &raw.0 {
            match name.as_str() {
                "q" if state.q.is_empty() => {
                    state.q = value.chars().take(MAX_QUERY_CHARS).collect();
                }
                "offset" => {
                    state.offset = value.parse().unwrap_or(0).min(MAX_OFFSET);
                }
                facet if FACETS.contains(&facet) && !value.is_empty() => {
                    let pair = (facet.to_string(), value.clone());
                    if !state.filters.contains(&pair) {
                        state.filters.push(pair);
                    }
                }
                // Anything else (a tracking parameter, an old link) is ignored on a page.
                _ => {}
            }
        }
        state
    }

    fn filters(&self) -> Filters {
        let mut filters = Filters::default();
        for (facet, value) in &self.filters {
            let list = match facet.as_str() {
                "category" => &mut filters.category,
                "domain" => &mut filters.domain,
                "industry" => &mut filters.industry,
                "difficulty" => &mut filters.difficulty,
                "tag" => &mut filters.tag,
                _ => &mut filters.company,
            };
            list.push(value.clone());
        }
        filters
    }

    /// The URL of this state.
    fn url(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            query.append_pair("q", &self.q);
        }
        for (facet, value) in &self.filters {
            query.append_pair(facet, value);
        }
        if self.offset > 0 {
            query.append_pair("offset", &self.offset.to_string());
        }
        let query = query.finish();
        if query.is_empty() {
            "/".to_string()
        } else {
            format!("/?{query}")
        }
    }

    /// This state with a filter value added or, when present, removed; back to page one.
    fn toggled(&self, facet: &str, value: &str) -> PageState {
        let mut next = self.clone();
        next.offset = 0;
        let pair = (facet.to_string(), value.to_string());
        match next.filters.iter().position(|p| *p == pair) {
            Some(at) => {
                next.filters.remove(at);
            }
            None => next.filters.push(pair),
        }
        next
    }

    fn at(&self, offset: usize) -> PageState {
        PageState {
            offset,
            ..self.clone()
        }
    }
}

/// `GET /`: the search page.
pub async fn home(State(ctx): State<AppContext>, raw: RawQuery) -> ApiResult<Response> {
    let state = PageState::parse(&raw);
    let snapshot = ctx.snapshot()?;
    let request = SearchRequest {
        q: state.q.clone(),
        filters: state.filters(),
        limit: PAGE,
        offset: state.offset,
        explain: false,
        ..SearchRequest::default()
    };
    let response = tokio::task::spawn_blocking(move || snapshot.engine.search(&request))
        .await
        .map_err(|err| ApiError::Internal(format!("search task failed: {err}")))??;
    let title = if state.q.is_empty() {
        "catalog: problems at scale".to_string()
    } else {
        format!("{} · catalog", state.q)
    };
    Ok(page(&title, &search_body(&state, &response)))
}

fn search_body(state: &PageState, response: &SearchResponse) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<form class=\"search\" role=\"search\" action=\"/\" method=\"get\">\
         <label for=\"q\">Search problems by symptom, error message or topic</label>\
         <input type=\"search\" id=\"q\" name=\"q\" value=\"{}\" autofocus \
         placeholder=\"e.g. too many clients already\">",
        escape(&state.q)
    );
    for (facet, value) in &state.filters {
        let _ = write!(
            out,
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            escape(facet),
            escape(value)
        );
    }
    out.push_str("<button type=\"submit\">Search</button></form>");
    let _ = write!(
        out,
        "<p role=\"status\">{} problem{}{}</p>",
        response.total,
        if response.total == 1 { "" } else { "s" },
        if state.filters.is_empty() {
            String::new()
        } else {
            let named: Vec<String> = state
                .filters
                .iter()
                .map(|(facet, value)| {
                    format!(
                        "{} <a href=\"{}\" aria-label=\"remove {} {}\">{} ✕</a>",
                        escape(facet),
                        escape(&state.toggled(facet, value).url()),
                        escape(facet),
                        escape(value),
                        escape(value)
                    )
                })
                .collect();
            format!(" with {}", named.join(", "))
        }
    );
    out.push_str("<div class=\"layout\"><nav aria-label=\"Filters\">");
    for facet in FACETS {
        let Some(values) = response.facets.get(facet) else {
            continue;
        };
        let mut values: Vec<(&String, &usize)> =
            values.iter().filter(|(_, count)| **count > 0).collect();
        // Selected values first, then by count.
        values.sort_by(|a, b| {
            let selected = |v: &str| state.filters.iter().any(|(f, x)| f == facet && x == v);
            selected(b.0)
                .cmp(&selected(a.0))
                .then(b.1.cmp(a.1))
                .then(a.0.cmp(b.0))
        });
        if values.is_empty() {
            continue;
        }
        let _ = write!(out, "<h2>{facet}</h2><ul>");
        for (value, count) in values.into_iter().take(FACET_VALUES) {
            let selected = state.filters.iter().any(|(f, v)| f == facet && v == value);
            let _ = write!(
                out,
                "<li><a href=\"{}\"{}>{}{}</a> <span class=\"count\">{count}</span></li>",
                escape(&state.toggled(facet, value).url()),
                if selected {
                    " aria-current=\"true\""
                } else {
                    ""
                },
                if selected { "✓ " } else { "" },
                escape(value)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</nav><section aria-label=\"Results\">");
    if response.hits.is_empty() {
        out.push_str("<p>No problem matches. Try fewer words or remove a filter.</p>");
    } else {
        let _ = write!(out, "<ol class=\"hits\" start=\"{}\">", state.offset + 1);
        for hit in &response.hits {
            let link = format!("/problems/{}", hit.id);
            let _ = write!(
                out,
                "<li><h3><a href=\"{}\">{}</a></h3><p class=\"meta\">{}</p>",
                escape(&link),
                escape(&hit.title),
                escape(
                    &[&hit.category, &hit.difficulty, &hit.domain]
                        .iter()
                        .filter_map(|value| value.as_deref())
                        .collect::<Vec<_>>()
                        .join(" · ")
                )
            );
            // Snippets are Tantivy's: escaped text with <b> around matched words.
            let _ = write!(out, "<p class=\"snippet\">{}</p>", hit.snippet);
            if !hit.sections.is_empty() {
                out.push_str("<ul class=\"sections\">");
                for section in &hit.sections {
                    let _ = write!(
                        out,
                        "<li><a href=\"{}#{}\">{}</a></li>",
                        escape(&link),
                        escape(&section.anchor),
                        escape(&section.heading)
                    );
                }
                out.push_str("</ul>");
            }
            out.push_str("</li>");
        }
        out.push_str("</ol>");
    }
    out.push_str("<nav class=\"pager\" aria-label=\"Pages\">");
    if state.offset > 0 {
        let _ = write!(
            out,
            "<a href=\"{}\" rel=\"prev\">← Previous</a>",
            escape(&state.at(state.offset.saturating_sub(PAGE)).url())
        );
    }
    if state.offset + response.hits.len() < response.total {
        let _ = write!(
            out,
            "<a href=\"{}\" rel=\"next\">Next →</a>",
            escape(&state.at(state.offset + PAGE).url())
        );
    }
    out.push_str("</nav></section></div>");
    out
}

/// `GET /problems/{id}`: one problem as a page.
pub async fn problem(State(ctx): State<AppContext>, Path(id): Path<String>) -> ApiResult<Response> {
    let snapshot = ctx.snapshot()?;
    let view = match load_problem(&snapshot.pool, &id).await? {
        Lookup::Found(view) => view,
        Lookup::Ambiguous(ids) => {
            let mut body = format!("<h1>`{}` names several problems</h1><ul>", escape(&id));
            for id in ids {
                let _ = write!(
                    body,
                    "<li><a href=\"/problems/{}\">{}</a></li>",
                    escape(&id),
                    escape(&id)
                );
            }
            body.push_str("</ul>");
            return Ok(page("Several problems", &body));
        }
        Lookup::Missing => {
            let body = format!(
                "<h1>No problem `{}`</h1><p><a href=\"/?q={}\">Search for it</a></p>",
                escape(&id),
                escape(&form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>())
            );
            let mut response = page("Not found", &body);
            *response.status_mut() = StatusCode::NOT_FOUND;
            return Ok(response);
        }
    };
    let doc = ProblemDocument::from(*view);
    Ok(page(&doc.info.title, &problem_body(&doc)))
}

/// The statements of a triage form: one per line.
fn lines_of(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

/// `GET /triage`: the empty form.
pub async fn triage_form() -> Response {
    page(
        "Triage · catalog",
        &triage_body(&TriageRequest::default(), None),
    )
}

/// `POST /triage`: paste a log and statements; candidates, explanations and next checks. A
/// next check is answered with its Yes or No button, which submits the whole form with the
/// symptom added to what holds or what does not (no JavaScript needed).
pub async fn triage_page(
    State(ctx): State<AppContext>,
    Form(fields): Form<Vec<(String, String)>>,
) -> ApiResult<Response> {
    let mut request = TriageRequest {
        limit: Some(5),
        explain: true,
        ..TriageRequest::default()
    };
    let (mut observed, mut ruled_out) = (String::new(), String::new());
    for (name, value) in fields {
        match name.as_str() {
            "text" => request.text = value,
            "observed" => observed = value,
            "ruled_out" => ruled_out = value,
            "yes" => observed.push_str(&format!("\n{value}")),
            "no" => ruled_out.push_str(&format!("\n{value}")),
            _ => {}
        }
    }
    request.observed = lines_of(&observed);
    request.ruled_out = lines_of(&ruled_out);
    if let Err(err) = request.validate() {
        let body = triage_body(&request, None)
            + &format!("<p role=\"alert\">{}</p>", escape(&err.to_string()));
        let mut response = page("Triage · catalog", &body);
        match err {
            TriageInputError::TooLarge(_) => {
                *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            }
            TriageInputError::TooManyStatements(_) => {
                *response.status_mut() = StatusCode::BAD_REQUEST;
            }
            TriageInputError::Empty => {}
        }
        return Ok(response);
    }
    let snapshot = ctx.snapshot()?;
    let asked = request.clone();
    let response =
        tokio::task::spawn_blocking(move || snapshot.triage.triage(&asked, Some(&snapshot.engine)))
            .await
            .map_err(|err| ApiError::Internal(format!("triage task failed: {err}")))??;
    Ok(page(
        "Triage · catalog",
        &triage_body(&request, Some(&response)),
    ))
}

fn triage_body(request: &TriageRequest, response: Option<&TriageResponse>) -> String {
    let mut out = String::from("<h1>Triage</h1>");
    let _ = write!(
        out,
        "<form class=\"triage\" method=\"post\" action=\"/triage\">\
         <label for=\"text\">Log lines <span class=\"hint\">(paste up to 1 MiB; stack frames are skipped)</span></label>\
         <textarea id=\"text\" name=\"text\" rows=\"8\" spellcheck=\"false\">{}</textarea>\
         <label for=\"observed\">What you observe <span class=\"hint\">(one per line)</span></label>\
         <textarea id=\"observed\" name=\"observed\" rows=\"3\">{}</textarea>\
         <label for=\"ruled_out\">What you ruled out <span class=\"hint\">(one per line)</span></label>\
         <textarea id=\"ruled_out\" name=\"ruled_out\" rows=\"2\">{}</textarea>\
         <button type=\"submit\">Triage</button>",
        escape(&request.text),
        escape(&request.observed.join("\n")),
        escape(&request.ruled_out.join("\n"))
    );
    let Some(response) = response else {
        out.push_str("</form>");
        return out;
    };
    if !response.next_checks.is_empty() {
        // No answer would reorder the candidates: the checks left confirm the first.
        out.push_str(if response.is_settled() {
            "<h2 id=\"next-checks\">To confirm it</h2><ul class=\"checks\">"
        } else {
            "<h2 id=\"next-checks\">Next checks</h2><ul class=\"checks\">"
        });
        for check in &response.next_checks {
            let _ = write!(
                out,
                "<li>{text} <button type=\"submit\" name=\"yes\" value=\"{text}\" aria-label=\"Yes: {text}\">Yes</button>\
                 <button type=\"submit\" class=\"no\" name=\"no\" value=\"{text}\" aria-label=\"No: {text}\">No</button></li>",
                text = escape(&check.symptom)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</form>");
    let lines = &response.lines;
    if lines.read > 0 {
        let _ = write!(
            out,
            "<p class=\"meta\">{} lines: {} messages, {} distinct; {} matched a signature, {} looked up by search.</p>",
            lines.read, lines.messages, lines.templates, lines.matched, lines.searched
        );
    }
    out.push_str("<h2 id=\"candidates\">Candidates</h2>");
    if response.candidates.is_empty() {
        out.push_str("<p>No known problem explains this yet. Add what you observe, or <a href=\"/\">search</a>.</p>");
        return out;
    }
    if response.explains_nothing() {
        out.push_str("<p class=\"hint\">None of these explains what you pasted or observed: they only share words with it. Describe it in other words, or <a href=\"/\">search</a>.</p>");
    }
    out.push_str("<ol class=\"hits candidates\">");
    for candidate in &response.candidates {
        let _ = write!(
            out,
            "<li><h3><a href=\"/problems/{}\">{}</a> <span class=\"prob\">{:.0}%</span></h3>",
            escape(&candidate.id),
            escape(&candidate.title),
            candidate.probability * 100.0
        );
        let mut list = |label: &str, items: Vec<String>| {
            if items.is_empty() {
                return;
            }
            let _ = write!(out, "<p class=\"meta\">{label}</p><ul class=\"sections\">");
            for item in items {
                let _ = write!(out, "<li>{item}</li>");
            }
            out.push_str("</ul>");
        };
        list(
            "Matches",
            candidate
                .matched_signatures()
                .into_iter()
                .map(|(signature, count)| match count {
                    1 => format!("<code>{}</code>", escape(signature)),
                    _ => format!("<code>{}</code> ({count} lines)", escape(signature)),
                })
                .collect(),
        );
        list(
            "Explains",
            candidate
                .explains
                .iter()
                .filter(|e| !candidate.matched_lines.iter().any(|m| &m.line == *e))
                .map(|e| escape(e))
                .collect(),
        );
        list(
            "Does not explain",
            candidate.unexplained.iter().map(|e| escape(e)).collect(),
        );
        list(
            "Lists what you ruled out",
            candidate.contradicted.iter().map(|e| escape(e)).collect(),
        );
        if let Some(evidence) = candidate.evidence.as_ref().filter(|e| !e.is_empty()) {
            let _ = write!(
                out,
                "<details class=\"why\"><summary>Why: score {:+.2}, finding by finding</summary>\
                 <table><thead><tr><th scope=\"col\">Adds</th><th scope=\"col\">Finding</th>\
                 <th scope=\"col\">Match</th><th scope=\"col\">Of it, meaning</th></tr></thead><tbody>",
                candidate.score
            );
            for part in evidence {
                let finding = match part.kind {
                    FindingKind::Message => format!("<code>{}</code>", escape(&part.finding)),
                    FindingKind::Observed => escape(&part.finding),
                    FindingKind::RuledOut if part.rules_out => {
                        format!("ruled out: {} (rules it out)", escape(&part.finding))
                    }
                    FindingKind::RuledOut => format!("ruled out: {}", escape(&part.finding)),
                    FindingKind::Together => "the observed statements together".to_string(),
                };
                let meaning = part.meaning.map(|m| format!("{m:+.2}")).unwrap_or_default();
                let _ = write!(
                    out,
                    "<tr><td>{:+.2}</td><td>{finding}</td><td>{:.2}</td><td>{meaning}</td></tr>",
                    part.log_odds, part.strength
                );
            }
            out.push_str("</tbody></table></details>");
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>");
    out
}

/// `GET /stats`: documented problems against each category's target, and the spread of the
/// catalog, as bars drawn on the server (SVG).
pub async fn stats_page(State(ctx): State<AppContext>) -> ApiResult<Response> {
    let snapshot = ctx.snapshot()?;
    let figures = stats(&snapshot.pool).await?;
    Ok(page("Statistics · catalog", &stats_body(&figures)))
}

/// A horizontal bar chart: one labelled bar per (label, value, of), `of` the full length.
fn bars(title: &str, rows: &[(String, usize, usize)]) -> String {
    const ROW: usize = 26;
    const LABEL: usize = 190;
    const BAR: usize = 360;
    let height = ROW * rows.len().max(1) + 4;
    let mut svg = format!(
        r#"<figure><figcaption>{}</figcaption><svg role="img" aria-label="{}" viewBox="0 0 {} {height}" width="100%" style="max-width:{}px">"#,
        escape(title),
        escape(title),
        LABEL + BAR + 120,
        LABEL + BAR + 120
    );
    for (index, (label, value, of)) in rows.iter().enumerate() {
        let y = index * ROW + 2;
        let filled = if *of == 0 {
            0
        } else {
            (BAR * (*value).min(*of)).div_ceil(*of)
        };
        let _ = write!(
            svg,
            concat!(
                r#"<text x="0" y="{}" fill="currentColor" font-size="13">{}</text>"#,
                r#"<rect x="{LABEL}" y="{y}" width="{BAR}" height="{}" rx="3" fill="currentColor" opacity=".12"/>"#,
                r#"<rect x="{LABEL}" y="{y}" width="{filled}" height="{}" rx="3" fill="currentColor" opacity=".7"/>"#,
                r#"<text x="{}" y="{}" fill="currentColor" font-size="13">{value} / {of}</text>"#
            ),
            y + 15,
            escape(label),
            ROW - 8,
            ROW - 8,
            LABEL + BAR + 8,
            y + 15,
            LABEL = LABEL,
            BAR = BAR,
            y = y,
            filled = filled,
            value = value,
            of = of,
        );
    }
    svg.push_str("</svg></figure>");
    svg
}

fn stats_body(figures: &Stats) -> String {
    let mut out = String::from("<h1>Statistics</h1>");
    let _ = write!(
        out,
        "<p>{} problems documented of {} targeted{}. {} incidents, {} approaches, {} sections; lint: {} errors, {} warnings.</p>",
        figures.problems,
        figures.target,
        figures
            .percentage
            .map(|p| format!(" ({p:.1} %)"))
            .unwrap_or_default(),
        figures.incidents,
        figures.approaches,
        figures.sections,
        figures.lint.errors,
        figures.lint.warnings
    );
    let categories: Vec<(String, usize, usize)> = figures
        .categories
        .iter()
        .map(|c| (c.label.clone(), c.documented, c.target))
        .collect();
    if !categories.is_empty() {
        out.push_str(&bars("Documented against target, by category", &categories));
    }
    for (title, counts) in [
        ("By difficulty", &figures.by_difficulty),
        ("By domain", &figures.by_domain),
        ("By industry", &figures.by_industry),
        ("By impact", &figures.by_impact),
    ] {
        if counts.is_empty() {
            continue;
        }
        let mut rows: Vec<(String, usize, usize)> = counts
            .iter()
            .map(|(value, count)| (value.clone(), *count, figures.problems))
            .collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out.push_str(&bars(title, &rows));
    }
    out
}

fn edge_links(out: &mut String, title: &str, edges: &[EdgeView]) {
    let resolved: Vec<&EdgeView> = edges.iter().filter(|edge| edge.resolved).collect();
    if resolved.is_empty() {
        return;
    }
    let _ = write!(out, "<h3>{}</h3><ul>", escape(title));
    for edge in resolved {
        let _ = write!(
            out,
            "<li><a href=\"/problems/{}\">{}</a> <span class=\"count\">{}</span></li>",
            escape(&edge.id),
            escape(edge.title.as_deref().unwrap_or(&edge.id)),
            escape(&edge.kind)
        );
    }
    out.push_str("</ul>");
}

/// A ` source` link after a cited item. Only http(s) sources are published (the store keeps
/// no other).
fn source_link(out: &mut String, source: Option<&str>) {
    if let Some(source) = source {
        let _ = write!(
            out,
            " <a href=\"{}\" rel=\"noopener noreferrer\">source</a>",
            escape(source)
        );
    }
}

fn problem_body(doc: &ProblemDocument) -> String {
    let info = &doc.info;
    let mut out = String::from("<article>");
    let _ = write!(out, "<h1>{}</h1>", escape(&info.title));
    let facts: Vec<String> = [
        ("category", &info.category),
        ("domain", &info.domain),
        ("industry", &info.industry),
        ("difficulty", &info.difficulty),
    ]
    .iter()
    .filter_map(|(name, value)| {
        value.as_deref().map(|value| {
            let url = PageState {
                filters: vec![((*name).to_string(), value.to_string())],
                ..PageState::default()
            }
            .url();
            format!("{name}: <a href=\"{}\">{}</a>", escape(&url), escape(value))
        })
    })
    .collect();
    let _ = write!(out, "<p class=\"meta\">{}</p>", facts.join(" · "));
    if !doc.aliases.is_empty() {
        let _ = write!(
            out,
            "<p class=\"aliases\">Also known as: {}</p>",
            escape(&doc.aliases.join(", "))
        );
    }
    if let Some(summary) = &info.summary {
        let _ = write!(out, "<p>{}</p>", escape(summary));
    }
    if !doc.symptoms.is_empty() {
        out.push_str("<h2>Symptoms</h2><ul>");
        for symptom in &doc.symptoms {
            let _ = write!(out, "<li>{}</li>", escape(symptom));
        }
        out.push_str("</ul>");
    }
    if !doc.signatures.is_empty() {
        out.push_str("<h2>Signatures</h2><ul class=\"signatures\">");
        for signature in &doc.signatures {
            let _ = write!(out, "<li><code>{}</code>", escape(&signature.text));
            source_link(&mut out, signature.source.as_deref());
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    if !doc.incidents.is_empty() {
        out.push_str("<h2>Incidents</h2><ul>");
        for incident in &doc.incidents {
            let who = incident.attribution();
            let _ = write!(
                out,
                "<li><strong>{}</strong> {}",
                escape(&who),
                escape(incident.summary.as_deref().unwrap_or_default())
            );
            source_link(&mut out, incident.source.as_deref());
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    for section in doc.sections.iter().filter(|section| section.level > 1) {
        let level = section.level.clamp(2, 6);
        let _ = write!(
            out,
            "<h{level} id=\"{}\">{}</h{level}>{}",
            escape(&section.anchor),
            escape(&section.heading),
            // Rendered and sanitised (ammonia) when the document was built.
            section.html
        );
    }
    out.push_str("<h2>Related problems</h2>");
    // Causal edges first, each way, then every other reference.
    let (causes, outgoing): (Vec<EdgeView>, Vec<EdgeView>) = doc
        .related
        .outgoing
        .iter()
        .cloned()
        .partition(|edge| edge.kind == "causes");
    let (caused_by, incoming): (Vec<EdgeView>, Vec<EdgeView>) = doc
        .related
        .incoming
        .iter()
        .cloned()
        .partition(|edge| edge.kind == "causes");
    edge_links(&mut out, "Leads to (causes)", &causes);
    edge_links(&mut out, "Caused by", &caused_by);
    edge_links(&mut out, "Links to", &outgoing);
    edge_links(&mut out, "Linked from", &incoming);
    if !doc.related.similar.is_empty() {
        out.push_str("<h3>Similar</h3><ul>");
        for similar in &doc.related.similar {
            let _ = write!(
                out,
                "<li><a href=\"/problems/{}\">{}</a> <span class=\"count\">{}</span></li>",
                escape(&similar.id),
                escape(&similar.title),
                escape(&similar.shared_tags.join(", "))
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</article>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_elements_and_attributes() {
        assert_eq!(
            escape(r#"<script>"a" & 'b'</script>"#),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn a_facet_link_adds_then_removes_its_value_and_goes_back_to_page_one() {
        let state = PageState::parse(&RawQuery(vec![
            ("q".into(), "retry storm".into()),
            ("offset".into(), "20".into()),
            ("utm_source".into(), "x".into()),
        ]));
        let added = state.toggled("category", "availability");
        assert_eq!(added.url(), "/?q=retry+storm&category=availability");
        assert_eq!(
            added.toggled("category", "availability").url(),
            "/?q=retry+storm"
        );
        assert_eq!(state.url(), "/?q=retry+storm&offset=20");
    }
}

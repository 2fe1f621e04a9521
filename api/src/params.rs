//! Query-string parameters, validated by hand so that every mistake gets a problem+json answer
//! naming the parameter (and, for unknown names, the accepted ones).
//!
//! Filters may repeat (`tag=a&tag=b` means either tag); every other parameter may appear once.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use catalog_indexer::search::Filters;
use catalog_indexer::store::SortKey;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

/// Largest page.
pub const MAX_LIMIT: usize = 100;
/// Default page.
pub const DEFAULT_LIMIT: usize = 10;
/// Largest offset (deep pages are cheap to refuse and nobody reads them).
pub const MAX_OFFSET: usize = 10_000;
/// Longest query text, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Most values one filter may list.
pub const MAX_FILTER_VALUES: usize = 20;

/// The raw name/value pairs of the query string, in order.
#[derive(Debug, Default)]
pub struct RawQuery(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for RawQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
            .map_err(|err| ApiError::InvalidParameter(format!("malformed query string: {err}")))?;
        Ok(RawQuery(pairs))
    }
}

impl RawQuery {
    /// Refuses names outside `allowed`.
    fn check_names(&self, allowed: &[&str]) -> Result<(), ApiError> {
        for (name, _) in &self.0 {
            if !allowed.contains(&name.as_str()) {
                return Err(ApiError::UnknownParameter {
                    name: name.clone(),
                    allowed: allowed.iter().map(|name| name.to_string()).collect(),
                });
            }
        }
        Ok(())
    }

    /// The value of a parameter that may appear at most once.
    fn single(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut values = self.0.iter().filter(|(key, _)| key == name);
        let first = values.next().map(|(_, value)| value.as_str());
        if values.next().is_some() {
            return Err(ApiError::InvalidParameter(format!(
                "`{name}` may be given only once"
            )));
        }
        Ok(first)
    }

    fn all(&self, name: &str) -> Result<Vec<String>, ApiError> {
        let values: Vec<String> = self
            .0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect();
        if values.len() > MAX_FILTER_VALUES {
            return Err(ApiError::InvalidParameter(format!(
                "`{name}` may be given at most {MAX_FILTER_VALUES} times"
            )));
        }
        Ok(values)
    }

    fn filters(&self) -> Result<Filters, ApiError> {
        Ok(Filters {
            category: self.all("category")?,
            domain: self.all("domain")?,
            industry: self.all("industry")?,
            difficulty: self.all("difficulty")?,
            tag: self.all("tag")?,
            company: self.all("company")?,
        })
    }

    fn number(
        &self,
        name: &str,
        default: usize,
        min: usize,
        max: usize,
    ) -> Result<usize, ApiError> {
        let Some(text) = self.single(name)? else {
            return Ok(default);
        };
        match text.trim().parse::<usize>() {
            Ok(value) if (min..=max).contains(&value) => Ok(value),
            _ => Err(ApiError::InvalidParameter(format!(
                "`{name}` must be a whole number from {min} to {max}, got `{text}`"
            ))),
        }
    }

    fn boolean(&self, name: &str) -> Result<bool, ApiError> {
        match self.single(name)? {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(other) => Err(ApiError::InvalidParameter(format!(
                "`{name}` must be `true` or `false`, got `{other}`"
            ))),
        }
    }
}

/// Filter parameters of search and the problem list (documentation; parsed by hand).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct FilterQuery {
    /// Category keys (repeat for OR).
    #[param(max_items = 20)]
    category: Option<Vec<String>>,
    /// Domains (repeat for OR).
    #[param(max_items = 20)]
    domain: Option<Vec<String>>,
    /// Industries (repeat for OR).
    #[param(max_items = 20)]
    industry: Option<Vec<String>>,
    /// Difficulties (repeat for OR).
    #[param(max_items = 20)]
    difficulty: Option<Vec<String>>,
    /// Tags (repeat for OR).
    #[param(max_items = 20)]
    tag: Option<Vec<String>>,
    /// Companies of cited incidents (repeat for OR).
    #[param(max_items = 20)]
    company: Option<Vec<String>>,
}

/// Pagination parameters (documentation; parsed by hand).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PageQuery {
    /// Results per page.
    #[param(minimum = 1, maximum = 100, default = 10)]
    limit: Option<u32>,
    /// Results skipped.
    #[param(minimum = 0, maximum = 10000, default = 0)]
    offset: Option<u32>,
}

/// The query text of `GET /api/v1/search` (documentation; parsed by [`SearchParams::parse`]).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchQuery {
    /// The symptom, error message or topic, in your own words. `"quoted phrase"` must match
    /// as written; `-word` excludes problems mentioning it. Empty lists every problem.
    #[param(max_length = 1000)]
    q: Option<String>,
    /// Include the score breakdown of each hit.
    #[param(default = false)]
    explain: Option<bool>,
}

/// A validated search request.
#[derive(Debug)]
pub struct SearchParams {
    /// Query text.
    pub q: String,
    /// Filters.
    pub filters: Filters,
    /// Page size.
    pub limit: usize,
    /// Offset.
    pub offset: usize,
    /// Explain scores.
    pub explain: bool,
}

impl SearchParams {
    /// Names accepted by search.
    pub const NAMES: [&'static str; 10] = [
        "q",
        "category",
        "domain",
        "industry",
        "difficulty",
        "tag",
        "company",
        "limit",
        "offset",
        "explain",
    ];

    /// Validates the raw query.
    pub fn parse(raw: &RawQuery) -> Result<SearchParams, ApiError> {
        raw.check_names(&Self::NAMES)?;
        let q = raw.single("q")?.unwrap_or_default().to_string();
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(ApiError::InvalidParameter(format!(
                "`q` may be at most {MAX_QUERY_CHARS} characters long"
            )));
        }
        Ok(SearchParams {
            q,
            filters: raw.filters()?,
            limit: raw.number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)?,
            offset: raw.number("offset", 0, 0, MAX_OFFSET)?,
            explain: raw.boolean("explain")?,
        })
    }
}

/// Sort keys of the problem list.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// By title.
    Title,
    /// By difficulty, easiest first.
    Difficulty,
    /// By category, in configuration order.
    Category,
    /// Most recently changed first.
    Updated,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// The sort key's natural order.
    Asc,
    /// Reversed.
    Desc,
}

/// Sorting of `GET /api/v1/problems` (documentation; parsed by [`ListParams::parse`]).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SortQuery {
    /// Sort key; ties are broken by id.
    #[param(inline)]
    sort: Option<Sort>,
    /// Sort direction.
    #[param(inline)]
    order: Option<Order>,
}

/// A validated list request.
#[derive(Debug)]
pub struct ListParams {
    /// Filters.
    pub filters: Filters,
    /// Sort key.
    pub sort: SortKey,
    /// Reverse order.
    pub descending: bool,
    /// Page size.
    pub limit: usize,
    /// Offset.
    pub offset: usize,
}

impl ListParams {
    /// Names accepted by the problem list.
    pub const NAMES: [&'static str; 10] = [
        "category",
        "domain",
        "industry",
        "difficulty",
        "tag",
        "company",
        "sort",
        "order",
        "limit",
        "offset",
    ];

    /// Validates the raw query.
    pub fn parse(raw: &RawQuery) -> Result<ListParams, ApiError> {
        raw.check_names(&Self::NAMES)?;
        let sort = match raw.single("sort")? {
            None => SortKey::Title,
            Some(name) => SortKey::from_name(name).ok_or_else(|| {
                ApiError::InvalidParameter(format!(
                    "`sort` must be one of {}, got `{name}`",
                    SortKey::ALL.map(|(name, _)| name).join(", ")
                ))
            })?,
        };
        let descending = match raw.single("order")? {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(other) => {
                return Err(ApiError::InvalidParameter(format!(
                    "`order` must be `asc` or `desc`, got `{other}`"
                )));
            }
        };
        Ok(ListParams {
            filters: raw.filters()?,
            sort,
            descending,
            limit: raw.number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)?,
            offset: raw.number("offset", 0, 0, MAX_OFFSET)?,
        })
    }
}

/// The parameters of `GET /api/v1/problems/{id}/chain`.
#[derive(Debug, Clone, Copy)]
pub struct ChainParams {
    /// Which way to follow the edges.
    pub direction: catalog_indexer::triage::Direction,
    /// How many steps.
    pub depth: usize,
}

/// `direction` and `depth` of a chain, for the OpenAPI document.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ChainQuery {
    /// `up` (causes), `down` (effects) or `both` (default).
    #[param(inline)]
    direction: Option<catalog_indexer::triage::Direction>,
    /// Steps to follow, 1 to 10 (default 3).
    #[param(minimum = 1, maximum = 10)]
    depth: Option<usize>,
}

impl ChainParams {
    /// Validates the raw query.
    pub fn parse(raw: &RawQuery) -> Result<ChainParams, ApiError> {
        use catalog_indexer::triage::{Direction, MAX_DEPTH};
        raw.check_names(&["direction", "depth"])?;
        let direction = match raw.single("direction")? {
            None | Some("both") => Direction::Both,
            Some("up") => Direction::Up,
            Some("down") => Direction::Down,
            Some(other) => {
                return Err(ApiError::InvalidParameter(format!(
                    "`direction` must be `up`, `down` or `both`, got `{other}`"
                )));
            }
        };
        Ok(ChainParams {
            direction,
            depth: raw.number("depth", 3, 1, MAX_DEPTH)?,
        })
    }
}

/// Endpoints without parameters refuse any.
pub fn no_parameters(raw: &RawQuery) -> Result<(), ApiError> {
    raw.check_names(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(&str, &str)]) -> RawQuery {
        RawQuery(
            pairs
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
        )
    }

    #[test]
    fn filters_repeat_and_other_parameters_do_not() {
        let params =
            SearchParams::parse(&raw(&[("q", "x"), ("tag", "a"), ("tag", "b")])).expect("valid");
        assert_eq!(params.filters.tag, ["a", "b"]);
        let err = SearchParams::parse(&raw(&[("q", "x"), ("q", "y")])).expect_err("twice");
        assert_eq!(err.code(), "invalid_parameter");
    }

    #[test]
    fn limits_are_bounded() {
        for bad in ["0", "101", "-1", "ten", ""] {
            let err = SearchParams::parse(&raw(&[("limit", bad)])).expect_err(bad);
            assert_eq!(err.code(), "invalid_parameter", "{bad}");
        }
        let params = SearchParams::parse(&raw(&[("limit", "100")])).expect("valid");
        assert_eq!(params.limit, 100);
    }

    #[test]
    fn unknown_names_list_the_allowed_ones() {
        let err = ListParams::parse(&raw(&[("colour", "red")])).expect_err("unknown");
        let details = err.details();
        assert_eq!(details.code, "unknown_parameter");
        assert!(
            details
                .allowed
                .expect("allowed")
                .contains(&"sort".to_string())
        );
    }
}

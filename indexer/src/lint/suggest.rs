//! "Did you mean …?" for values, ids and anchors.

/// The candidate closest to `value`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lowered = value.to_lowercase();
    let mut best: Option<(&str, f64)> = None;
    for candidate in candidates {
        let score = strsim::normalized_damerau_levenshtein(&lowered, &candidate.to_lowercase());
        let contains = !lowered.is_empty()
            && (candidate.contains(lowered.as_str()) || lowered.contains(candidate))
            && lowered.len().min(candidate.len()) * 2 >= lowered.len().max(candidate.len());
        let score = if contains { score.max(0.75) } else { score };
        if score >= 0.7 && best.is_none_or(|(_, best)| score > best) {
            best = Some((candidate, score));
        }
    }
    best.map(|(candidate, _)| candidate)
}

/// The candidate whose last path segment is `slug`-like, for ids given with a wrong folder.
pub fn did_you_mean_id<'a>(
    value: &str,
    ids: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    let slug = value.rsplit('/').next().unwrap_or(value);
    ids.clone()
        .into_iter()
        .find(|id| id.rsplit('/').next() == Some(slug))
        .or_else(|| did_you_mean(value, ids.clone()))
        .or_else(|| {
            let candidates: Vec<(&str, &str)> = ids
                .into_iter()
                .map(|id| (id.rsplit('/').next().unwrap_or(id), id))
                .collect();
            let found = did_you_mean(slug, candidates.iter().map(|(s, _)| *s))?;
            candidates
                .iter()
                .find(|(s, _)| *s == found)
                .map(|(_, id)| *id)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_values_only() {
        let values = ["beginner", "intermediate", "advanced"];
        assert_eq!(did_you_mean("intermedate", values), Some("intermediate"));
        assert_eq!(did_you_mean("advnced", values), Some("advanced"));
        assert_eq!(did_you_mean("senior", values), None);
    }

    #[test]
    fn suggests_ids_by_slug_then_by_spelling() {
        let ids = ["a/double-booking", "b/retry-storm"];
        assert_eq!(
            did_you_mean_id("x/double-booking", ids),
            Some("a/double-booking")
        );
        assert_eq!(did_you_mean_id("b/retry-strom", ids), Some("b/retry-storm"));
        assert_eq!(did_you_mean_id("zzz", ids), None);
    }
}

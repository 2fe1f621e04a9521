//! Causal chains: what a problem leads to (`causes`, downstream) and what leads to it
//! (`caused_by`, upstream), breadth first to a depth, over the catalog's typed edges.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::model::TriageModel;

/// Which way to follow the edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Direction {
    /// Upstream: the causes.
    Up,
    /// Downstream: the effects.
    Down,
    /// Both.
    #[default]
    Both,
}

/// The deepest chain followed.
pub const MAX_DEPTH: usize = 10;

/// One step of a chain.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainStep {
    /// Distance from the problem asked about (1: a direct cause or effect).
    pub depth: usize,
    /// The problem the step starts from (nearer the one asked about).
    pub from: String,
    /// The problem it reaches.
    pub to: String,
    /// Its title.
    pub to_title: String,
    /// `causes` (downstream: `from` causes `to`) or `caused_by` (upstream: `from` is caused
    /// by `to`).
    pub kind: String,
    /// `to` was already reached: the step closes a cycle and is not followed further.
    pub cycle: bool,
}

/// A problem's causal chain.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Chain {
    /// The problem.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Upstream steps (causes), nearest first.
    pub up: Vec<ChainStep>,
    /// Downstream steps (effects), nearest first.
    pub down: Vec<ChainStep>,
}

impl TriageModel {
    /// The chain of a problem (by id), or `None` when there is no such problem.
    pub fn chain(&self, id: &str, direction: Direction, depth: usize) -> Option<Chain> {
        let start = self.problem_index(id)?;
        let depth = depth.clamp(1, MAX_DEPTH);
        let entry = &self.problems[start as usize];
        let walk = |downstream: bool| {
            let mut steps = Vec::new();
            let mut reached = vec![false; self.problems.len()];
            reached[start as usize] = true;
            let mut queue = VecDeque::from([(start, 0usize)]);
            while let Some((at, distance)) = queue.pop_front() {
                if distance == depth {
                    continue;
                }
                let next = self.causes.iter().filter_map(|&(cause, effect)| {
                    if downstream && cause == at {
                        Some(effect)
                    } else if !downstream && effect == at {
                        Some(cause)
                    } else {
                        None
                    }
                });
                for to in next {
                    let cycle = reached[to as usize];
                    steps.push(ChainStep {
                        depth: distance + 1,
                        from: self.problems[at as usize].id.clone(),
                        to: self.problems[to as usize].id.clone(),
                        to_title: self.problems[to as usize].title.clone(),
                        kind: if downstream { "causes" } else { "caused_by" }.to_string(),
                        cycle,
                    });
                    if !cycle {
                        reached[to as usize] = true;
                        queue.push_back((to, distance + 1));
                    }
                }
            }
            steps
        };
        Some(Chain {
            id: entry.id.clone(),
            title: entry.title.clone(),
            up: if direction == Direction::Down {
                Vec::new()
            } else {
                walk(false)
            },
            down: if direction == Direction::Up {
                Vec::new()
            } else {
                walk(true)
            },
        })
    }
}

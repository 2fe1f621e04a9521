//! Triage: signature matching on real lines, ruled-out statements flipping a ranking,
//! information gain choosing the check that separates candidates, chains through a cycle, and
//! the bundled catalog end to end.

mod common;

use std::path::Path;

use catalog_indexer::search::SearchEngine;
use catalog_indexer::store::open_generation;
use catalog_indexer::triage::{
    Direction, Evidence, EvidenceKind, FindingKind, ModelParts, ProblemEntry, TriageModel,
    TriageRequest, TriageResponse,
};

fn problem(id: &str) -> ProblemEntry {
    ProblemEntry {
        id: id.to_string(),
        title: id.to_string(),
        aliases: Vec::new(),
    }
}

fn titled(id: &str, title: &str) -> ProblemEntry {
    ProblemEntry {
        id: id.to_string(),
        title: title.to_string(),
        aliases: Vec::new(),
    }
}

fn symptom(problem: u32, text: &str) -> Evidence {
    Evidence {
        problem,
        kind: EvidenceKind::Symptom,
        text: text.to_string(),
        source: None,
    }
}

fn signature(problem: u32, text: &str) -> Evidence {
    Evidence {
        problem,
        kind: EvidenceKind::Signature,
        text: text.to_string(),
        source: Some("https://example.com/source".to_string()),
    }
}

/// Fails with the whole candidate list unless `id` is among the first three.
fn assert_in_top_three(response: &TriageResponse, id: &str) {
    let ids: Vec<&str> = response.candidates.iter().map(|c| c.id.as_str()).collect();
    assert!(
        ids.iter().take(3).any(|found| *found == id),
        "{id} not in {ids:?}"
    );
}

fn ids(model: &TriageModel, request: &TriageRequest) -> Vec<String> {
    model
        .triage(request, None)
        .expect("triage")
        .candidates
        .into_iter()
        .map(|c| c.id)
        .collect()
}

/// The candidates' ids for `observed` statements and one ruled-out statement, without the
/// search.
fn ids_ruling_out(model: &TriageModel, observed: &[String], ruled_out: &str) -> Vec<String> {
    ids(
        model,
        &TriageRequest {
            observed: observed.to_vec(),
            ruled_out: vec![ruled_out.to_string()],
            ..TriageRequest::default()
        },
    )
}

/// The first candidate for one observed and one ruled-out statement, without the search.
fn first_with(model: &TriageModel, observed: &str, ruled_out: &str) -> String {
    ids(
        model,
        &TriageRequest {
            observed: vec![observed.to_string()],
            ruled_out: vec![ruled_out.to_string()],
            ..TriageRequest::default()
        },
    )[0]
    .clone()
}

/// The candidates' ids for one pasted text, without the search.
fn pasted(model: &TriageModel, text: &str) -> Vec<String> {
    ids(
        model,
        &TriageRequest {
            text: text.to_string(),
            ..TriageRequest::default()
        },
    )
}

/// Triage of one observed statement, without the search.
fn observe(model: &TriageModel, statement: &str) -> TriageResponse {
    observe_all(model, &[statement])
}

/// Triage of several observed statements, each given apart.
fn observe_all(model: &TriageModel, statements: &[&str]) -> TriageResponse {
    model
        .triage(
            &TriageRequest {
                observed: statements.iter().map(|s| s.to_string()).collect(),
                ..TriageRequest::default()
            },
            None,
        )
        .expect("triage")
}

/// Two pool problems that share most symptoms; each has one of its own.
fn pools() -> TriageModel {
    TriageModel::new(ModelParts {
        problems: vec![
            problem("starvation"),
            problem("exhausted"),
            problem("deadlock"),
        ],
        evidence: vec![
            symptom(0, "requests wait for a database connection"),
            symptom(
                0,
                "threads parked waiting for a pooled connection inside the app",
            ),
            symptom(0, "database CPU stays low while the app times out"),
            symptom(1, "requests wait for a database connection"),
            symptom(1, "the database refuses new connections after scaling out"),
            symptom(1, "database CPU stays low while the app times out"),
            symptom(2, "transactions abort as deadlock victims"),
            signature(
                0,
                "HikariPool-1 - Connection is not available, request timed out after 30000ms.",
            ),
            signature(1, "FATAL: sorry, too many clients already"),
            signature(2, "ERROR: deadlock detected"),
        ],
        causes: vec![],
    })
}

#[test]
fn pasted_lines_match_their_signature_through_prefixes_and_values() {
    let model = pools();
    let request = TriageRequest {
        text: "2024-06-11 08:14:59.002 ERROR 1 --- [nio-8080-exec-7] com.zaxxer.hikari.pool.HikariPool : HikariPool-3 - Connection is not available, request timed out after 5004ms.\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n\t... 12 more\npsql: error: connection to server at \"10.0.3.12\", port 5432 failed: FATAL:  sorry, too many clients already\npsql: error: connection to server at \"10.0.3.13\", port 5432 failed: FATAL:  sorry, too many clients already\n".to_string(),
        ..TriageRequest::default()
    };
    let response = model.triage(&request, None).expect("triage");
    assert_eq!(response.lines.read, 5);
    assert_eq!(response.lines.messages, 3, "stack frames are not messages");
    assert_eq!(
        response.lines.templates, 2,
        "two prints of one message are one template"
    );
    assert_eq!(response.lines.matched, 2);
    let exhausted = response
        .candidates
        .iter()
        .find(|c| c.id == "exhausted")
        .expect("the too-many-clients line names `exhausted`");
    assert_eq!(exhausted.matched_lines.len(), 1);
    assert_eq!(exhausted.matched_lines[0].count, 2);
    assert_eq!(
        exhausted.matched_lines[0].signature,
        "FATAL: sorry, too many clients already"
    );
    assert!(!response.candidates.iter().any(|c| c.id == "deadlock"));
}

#[test]
fn a_ruled_out_statement_flips_the_ranking() {
    let model = pools();
    let observed = vec![
        "requests wait for a database connection".to_string(),
        "database CPU stays low".to_string(),
    ];
    let flip = |ruled_out: &str| ids_ruling_out(&model, &observed, ruled_out);
    assert_eq!(
        flip("the database refuses new connections")[0],
        "starvation"
    );
    assert_eq!(
        flip("threads parked waiting for a pooled connection")[0],
        "exhausted"
    );
    let response = model
        .triage(
            &TriageRequest {
                observed: observed.clone(),
                ruled_out: vec!["the database refuses new connections".to_string()],
                ..TriageRequest::default()
            },
            None,
        )
        .expect("triage");
    let exhausted = response
        .candidates
        .iter()
        .find(|c| c.id == "exhausted")
        .expect("still a candidate");
    assert_eq!(
        exhausted.contradicted,
        vec!["the database refuses new connections"]
    );
    assert!(response.candidates[0].probability > exhausted.probability);
}

#[test]
fn a_ruled_out_statement_is_read_apart_from_the_situation_the_observations_describe() {
    let model = TriageModel::new(ModelParts {
        problems: vec![problem("orphans"), problem("ghosts")],
        evidence: vec![
            symptom(0, "comments point at deleted posts"),
            symptom(0, "posts were deleted and their comments stayed"),
            symptom(1, "comments show up under posts that never existed"),
        ],
        causes: Vec::new(),
    });
    let first = |ruled_out: &str| first_with(&model, "comments point at deleted posts", ruled_out);
    // Which posts were deleted, and why, is the situation; `on purpose` is what is excluded.
    assert_eq!(first("the posts were deleted on purpose"), "orphans");
    // A statement in words of its own still rules its problem out.
    assert_eq!(first("their comments stayed"), "ghosts");
}

#[test]
fn a_ruled_out_statement_sharing_one_word_with_a_symptom_does_not_rule_its_problem_out() {
    let model = TriageModel::new(ModelParts {
        problems: vec![problem("idle"), problem("hotspot")],
        evidence: vec![
            symptom(0, "machines sit idle all day"),
            symptom(0, "scaling to demand"),
            symptom(1, "one shard is busy, the others idle"),
        ],
        causes: Vec::new(),
    });
    let first = |ruled_out: &str| first_with(&model, "machines sit idle all day", ruled_out);
    // `demand` names the topic of `scaling to demand`; the statement does not describe it.
    assert_eq!(first("demand did not fall"), "idle");
    // In the symptom's own words, it does.
    assert_eq!(first("there was no scaling to demand"), "hotspot");
}

#[test]
fn ruling_out_the_whole_does_not_rule_out_a_part() {
    let model = TriageModel::new(ModelParts {
        problems: vec![problem("hot-key"), problem("meltdown")],
        evidence: vec![
            symptom(0, "one node in the cluster is overloaded"),
            symptom(0, "traffic for a single key lands on the same nodes"),
            symptom(
                1,
                "the cluster is overloaded and nodes fail one after another",
            ),
            symptom(1, "traffic lands on the nodes that are left"),
        ],
        causes: Vec::new(),
    });
    let first = |ruled_out: &str| {
        first_with(
            &model,
            "traffic for a single key lands on the same nodes",
            ruled_out,
        )
    };
    // Only one node is overloaded: that the whole cluster is not says nothing against it.
    assert_eq!(first("the whole cluster being overloaded"), "hot-key");
    // Said of the part, the same words still rule it out.
    assert_eq!(
        first("one node in the cluster being overloaded"),
        "meltdown"
    );
}

#[test]
fn what_follows_a_ruled_out_hypothesis_does_not_rule_out_on_its_own() {
    let model = TriageModel::new(ModelParts {
        problems: vec![problem("starvation"), problem("exhausted")],
        evidence: vec![
            symptom(0, "requests wait for a pooled connection"),
            symptom(0, "the database still has plenty of free connection slots"),
            symptom(1, "new instances get no connection after a scale out"),
            symptom(1, "the database refuses new connections from new instances"),
        ],
        causes: Vec::new(),
    });
    // Whether the ruled-out statement rules starvation out, and the first candidate.
    let outcome = |ruled_out: &str| {
        let response = model
            .triage(
                &TriageRequest {
                    observed: vec!["requests wait for a pooled connection".to_string()],
                    ruled_out: vec![ruled_out.to_string()],
                    explain: true,
                    ..TriageRequest::default()
                },
                None,
            )
            .expect("triage");
        let starvation = response
            .candidates
            .iter()
            .find(|c| c.id == "starvation")
            .expect("starvation is a candidate");
        let ruled_out = starvation
            .evidence
            .as_ref()
            .is_some_and(|evidence| evidence.iter().any(|e| e.rules_out));
        (
            ruled_out,
            !starvation.contradicted.is_empty(),
            response.candidates[0].id.clone(),
        )
    };
    // The hypothesis checked was the database refusing connections; what follows the comma is
    // how it was checked, and it holds: it neither rules starvation out nor counts against it.
    assert_eq!(
        outcome("the database refusing new connections, it still has plenty of free slots"),
        (false, false, "starvation".to_string())
    );
    // Said as the hypothesis, the same words rule it out.
    let (ruled_out, contradicted, _) = outcome("the database still having plenty of free slots");
    assert!(ruled_out && contradicted);
}

#[test]
fn a_suspect_ruled_out_in_a_few_words_rules_out_only_a_problem_it_names() {
    let model = TriageModel::new(ModelParts {
        problems: vec![
            titled("payloads", "Large Payloads"),
            titled("stalls", "Blocking Event Loop"),
            titled("network", "Flaky Mobile Network"),
        ],
        evidence: vec![
            symptom(0, "the screen is slow on mobile networks"),
            symptom(0, "responses are tens of megabytes"),
            symptom(1, "the screen is slow while a report is exported"),
            symptom(2, "requests drop on the mobile network"),
        ],
        causes: Vec::new(),
    });
    let ruling_out = |ruled_out: &str| {
        let response = model
            .triage(
                &TriageRequest {
                    observed: vec![
                        "the screen is slow".to_string(),
                        "responses are tens of megabytes".to_string(),
                    ],
                    ruled_out: vec![ruled_out.to_string()],
                    explain: true,
                    ..TriageRequest::default()
                },
                None,
            )
            .expect("triage");
        let ruled: Vec<String> = response
            .candidates
            .iter()
            .filter(|c| {
                c.evidence
                    .as_ref()
                    .is_some_and(|evidence| evidence.iter().any(|e| e.rules_out))
            })
            .map(|c| c.id.clone())
            .collect();
        (response.candidates[0].id.clone(), ruled)
    };
    // The network was suspected and cleared: that says nothing against large payloads, whose
    // symptom only mentions mobile networks.
    let (first, ruled) = ruling_out("the mobile network, it is just as slow on wifi");
    assert_eq!(first, "payloads");
    assert!(!ruled.contains(&"payloads".to_string()), "{ruled:?}");
    // Denied as a symptom, in more words, the same match still rules it out.
    let (_, ruled) = ruling_out("the screen being slow on mobile networks");
    assert!(ruled.contains(&"payloads".to_string()), "{ruled:?}");
}

#[test]
fn a_ruled_out_statement_that_names_a_problem_rules_it_out() {
    let model = TriageModel::new(ModelParts {
        problems: vec![
            titled(
                "performance/memory-leak",
                "Memory Leak: Heap That Only Grows",
            ),
            titled(
                "availability/split-brain",
                "Split Brain: Two Primaries Accept Writes",
            ),
            titled("performance/aging", "Slow Service That Ages"),
        ],
        evidence: vec![
            symptom(
                0,
                "the service gets slower every day until a restart fixes it",
            ),
            symptom(0, "resident memory climbs by a few megabytes an hour"),
            symptom(1, "both nodes accept writes after the network splits"),
            symptom(2, "the service gets slower every day"),
        ],
        causes: Vec::new(),
    });
    let first = |ruled_out: &[&str]| {
        let response = model
            .triage(
                &TriageRequest {
                    observed: vec!["the service gets slower every day, a restart fixes it".into()],
                    ruled_out: ruled_out.iter().map(|s| s.to_string()).collect(),
                    ..TriageRequest::default()
                },
                None,
            )
            .expect("triage");
        response
            .candidates
            .first()
            .map(|c| c.id.clone())
            .expect("a candidate")
    };
    assert_eq!(first(&[]), "performance/memory-leak");
    // Named by its id, or by its title before the colon, with how it was checked after the
    // comma: ruled out, although the statement shares no word with its symptoms' own account.
    assert_eq!(
        first(&["a memory leak, the graphs are flat"]),
        "performance/aging"
    );
    assert_eq!(first(&["it's not the leak in memory"]), "performance/aging");
    // A name is all of its words: one of them is no name (`memory` is the situation's word in
    // `memory use is flat` as often as the problem's).
    let response = model
        .triage(
            &TriageRequest {
                observed: vec!["the service gets slower every day, a restart fixes it".into()],
                ruled_out: vec!["a split in the team's deploys".into()],
                explain: true,
                ..TriageRequest::default()
            },
            None,
        )
        .expect("triage");
    assert!(response.candidates.iter().all(|c| {
        c.evidence
            .as_ref()
            .is_none_or(|evidence| !evidence.iter().any(|e| e.rules_out))
    }));
}

#[test]
fn a_problem_ruled_out_by_name_goes_below_one_that_explains_less() {
    let model = TriageModel::new(ModelParts {
        problems: vec![
            ProblemEntry {
                aliases: vec!["bloat".into(), "heap creep".into()],
                ..titled(
                    "performance/memory-leak",
                    "Memory Leak: Heap That Only Grows",
                )
            },
            titled("performance/aging", "Slow Service That Ages"),
        ],
        evidence: vec![
            symptom(
                0,
                "the service gets slower every day until a restart fixes it",
            ),
            symptom(0, "resident memory climbs by a few megabytes an hour"),
            symptom(0, "the process is killed for running out of memory"),
            symptom(0, "heap dumps show the same objects piling up"),
            symptom(1, "the service gets slower every day"),
        ],
        causes: Vec::new(),
    });
    let observed: Vec<String> = [
        "the service gets slower every day until a restart fixes it",
        "resident memory climbs by a few megabytes an hour",
        "the process is killed for running out of memory",
        "heap dumps show the same objects piling up",
    ]
    .map(String::from)
    .to_vec();
    let ranked = |ruled_out: &[&str]| {
        ids(
            &model,
            &TriageRequest {
                observed: observed.clone(),
                ruled_out: ruled_out.iter().map(|s| s.to_string()).collect(),
                ..TriageRequest::default()
            },
        )
    };
    assert_eq!(ranked(&[])[0], "performance/memory-leak");
    // Every statement fits the leak, yet the person checked for that very problem: it goes
    // below the problem that explains one statement, and is still listed.
    assert_eq!(
        ranked(&["a memory leak, checked and it is not that"]),
        ["performance/aging", "performance/memory-leak"]
    );
    // Named by an alias, of one word or more.
    for named in ["bloat, checked", "no heap creep in the graphs"] {
        assert_eq!(ranked(&[named])[0], "performance/aging", "{named}");
    }
}

#[test]
fn a_name_shortened_by_a_word_still_names_the_problem() {
    let model = TriageModel::new(ModelParts {
        problems: vec![
            titled(
                "availability/timeout-domino-effect",
                "Timeout Domino Effect: Misaligned Timeouts",
            ),
            titled("availability/slow-partner", "A Slow Partner API"),
        ],
        evidence: vec![
            symptom(
                0,
                "each caller gives up before the service it calls answers",
            ),
            symptom(
                0,
                "timeouts spread up the call chain one service after another",
            ),
            symptom(1, "the partner answers slowly"),
        ],
        causes: Vec::new(),
    });
    let observed: Vec<String> = [
        "each caller gives up before the service it calls answers",
        "timeouts spread up the call chain one service after another",
    ]
    .map(String::from)
    .to_vec();
    let first = |ruled_out: &str| {
        ids_ruling_out(&model, &observed, ruled_out)
            .into_iter()
            .next()
    };
    // Two of the name's three words, with filler: the person ruled that problem out.
    for named in ["a timeout domino, checked", "a domino effect problem"] {
        assert_eq!(
            first(named).as_deref(),
            Some("availability/slow-partner"),
            "{named}"
        );
    }
    // A word the name lacks makes it a description, and one word of the name is not a name.
    for described in [
        "a domino effect in the deploys, checked",
        "a domino, checked",
    ] {
        assert_eq!(
            first(described).as_deref(),
            Some("availability/timeout-domino-effect"),
            "{described}"
        );
    }
}

#[test]
fn a_ruled_out_statement_denies_what_a_symptom_reports_not_what_stays_normal() {
    let model = TriageModel::new(ModelParts {
        problems: vec![problem("storm"), problem("surge")],
        evidence: vec![
            symptom(0, "request rate triples while user traffic stays flat"),
            symptom(1, "user traffic grows after a marketing campaign"),
            symptom(1, "request rate triples"),
        ],
        causes: Vec::new(),
    });
    let response = model
        .triage(
            &TriageRequest {
                observed: vec!["request rate triples".to_string()],
                ruled_out: vec!["user traffic grew".to_string()],
                ..TriageRequest::default()
            },
            None,
        )
        .expect("triage");
    let contradicted = |id: &str| -> Vec<String> {
        response
            .candidates
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.contradicted.clone())
            .expect("a candidate")
    };
    // `… while user traffic stays flat` reports no growth of user traffic.
    assert!(contradicted("storm").is_empty());
    assert_eq!(contradicted("surge"), ["user traffic grew"]);
    assert_eq!(response.candidates[0].id, "storm");
}

#[test]
fn a_statement_in_other_words_finds_the_symptom_it_means() {
    let model = TriageModel::new(ModelParts {
        problems: vec![problem("payload"), problem("leak")],
        evidence: vec![
            symptom(0, "memory spikes when a customer downloads a big export"),
            symptom(1, "memory use grows steadily until the process is killed"),
        ],
        causes: Vec::new(),
    });
    let first = |statement: &str| -> String {
        let response = model
            .triage(
                &TriageRequest {
                    observed: vec![statement.to_string()],
                    ..TriageRequest::default()
                },
                None,
            )
            .expect("triage");
        response.candidates[0].id.clone()
    };
    // Each shares one word, `memory`, with both symptoms; what they say tells them apart.
    assert_eq!(first("memory creeps up over days"), "leak");
    assert_eq!(
        first("memory jumps when someone uploads a huge spreadsheet"),
        "payload"
    );
}

#[test]
fn each_candidate_says_what_it_explains_and_what_not() {
    let model = pools();
    let response = observe_all(
        &model,
        &[
            "requests wait for a database connection",
            "transactions abort as deadlock victims",
        ],
    );
    let deadlock = response
        .candidates
        .iter()
        .find(|c| c.id == "deadlock")
        .expect("deadlock explains one finding");
    assert_eq!(
        deadlock.explains,
        vec!["transactions abort as deadlock victims"]
    );
    assert_eq!(
        deadlock.unexplained,
        vec!["requests wait for a database connection"]
    );
    let sum: f64 = response.candidates.iter().map(|c| c.probability).sum();
    assert!(sum <= 1.0 + 1e-9, "probabilities sum to at most 1: {sum}");
}

#[test]
fn an_observation_of_two_sentences_counts_as_two_findings() {
    let model = pools();
    let apart = observe_all(
        &model,
        &[
            "requests wait for a database connection",
            "transactions abort as deadlock victims",
        ],
    );
    let together = observe(
        &model,
        "requests wait for a database connection. Transactions abort as deadlock victims.",
    );
    let deadlock = together
        .candidates
        .iter()
        .find(|c| c.id == "deadlock")
        .expect("deadlock explains one finding");
    assert_eq!(
        deadlock.explains,
        vec!["Transactions abort as deadlock victims."]
    );
    assert_eq!(
        deadlock.unexplained,
        vec!["requests wait for a database connection"]
    );
    let ranked = |response: &TriageResponse| -> Vec<(String, f64)> {
        response
            .candidates
            .iter()
            .map(|c| (c.id.clone(), (c.probability * 1e6).round()))
            .collect()
    };
    assert_eq!(ranked(&together), ranked(&apart));
}

#[test]
fn an_observation_of_more_sentences_than_statements_allowed_stays_whole() {
    let model = pools();
    let statement = "transactions abort as deadlock victims. ".repeat(51);
    let response = observe(&model, &statement);
    let deadlock = response
        .candidates
        .iter()
        .find(|c| c.id == "deadlock")
        .expect("deadlock explains the statement");
    assert_eq!(deadlock.explains, vec![statement.trim()]);
}

#[test]
fn full_width_letters_and_ligatures_match_like_plain_ones() {
    let model = pools();
    let plain = observe(&model, "threads parked waiting for a pooled connection");
    let folded = observe(
        &model,
        "ＴＨＲＥＡＤＳ parked waiting for a pooled connection",
    );
    assert_eq!(plain.candidates[0].id, "starvation");
    assert_eq!(folded.candidates[0].id, "starvation");
    assert_eq!(plain.candidates[0].score, folded.candidates[0].score);
    // A log line with full-width letters matches the signature as the plain line does.
    assert_eq!(
        pasted(&model, "ＦＡＴＡＬ: sorry, too many clients already")[0],
        "exhausted"
    );
}

#[test]
fn explained_scores_add_up_finding_by_finding() {
    let model = pools();
    let request = TriageRequest {
        text: "FATAL: sorry, too many clients already\n".to_string(),
        observed: vec![
            "requests wait for a database connection".to_string(),
            "the app slows down every afternoon".to_string(),
        ],
        ruled_out: vec!["threads parked waiting for a pooled connection".to_string()],
        ..TriageRequest::default()
    };
    let plain = model.triage(&request, None).expect("triage");
    assert!(
        plain.candidates.iter().all(|c| c.evidence.is_none()),
        "the breakdown is given only when asked for"
    );
    let explained = model
        .triage(
            &TriageRequest {
                explain: true,
                ..request
            },
            None,
        )
        .expect("triage");
    assert_eq!(
        plain.candidates.iter().map(|c| &c.id).collect::<Vec<_>>(),
        explained
            .candidates
            .iter()
            .map(|c| &c.id)
            .collect::<Vec<_>>(),
        "asking for the breakdown does not change the ranking"
    );
    for candidate in &explained.candidates {
        let evidence = candidate.evidence.as_ref().expect("asked for");
        let sum: f64 = evidence.iter().map(|part| part.log_odds).sum();
        assert!(
            (sum - candidate.score).abs() < 1e-3 * (evidence.len() as f64 + 1.0),
            "{}: {sum} against {}",
            candidate.id,
            candidate.score
        );
    }
    let exhausted = explained
        .candidates
        .iter()
        .find(|c| c.id == "exhausted")
        .expect("the pasted message is its signature");
    let evidence = exhausted.evidence.as_ref().expect("asked for");
    let message = evidence
        .iter()
        .find(|part| part.kind == FindingKind::Message)
        .expect("the message counts for it");
    assert_eq!(message.strength, 1.0);
    assert!(message.log_odds > 0.0);
    let starvation = explained
        .candidates
        .iter()
        .find(|c| c.id == "starvation")
        .expect("a candidate");
    let ruled_out = starvation
        .evidence
        .as_ref()
        .and_then(|evidence| evidence.iter().find(|p| p.kind == FindingKind::RuledOut))
        .expect("the ruled-out statement is its symptom");
    assert!(
        ruled_out.log_odds < 0.0,
        "a ruled-out symptom counts against the problem that lists it"
    );
    let json = serde_json::to_value(&plain.candidates[0]).expect("json");
    assert!(
        json.get("evidence").is_none(),
        "not in JSON unless asked for"
    );
}

#[test]
fn the_next_check_is_the_one_that_separates_the_candidates() {
    let model = pools();
    let response = observe(&model, "requests wait for a database connection");
    let first = response.next_checks.first().expect("a next check");
    // Shared symptoms tell the two pool problems apart no better than what was observed, and
    // the deadlock symptom concerns neither candidate.
    assert!(
        [
            "threads parked waiting for a pooled connection inside the app",
            "the database refuses new connections after scaling out",
        ]
        .contains(&first.symptom.as_str()),
        "{first:?}"
    );
    assert_eq!(first.problems.len(), 1);
    assert!(
        !response
            .next_checks
            .iter()
            .any(|c| c.symptom == "requests wait for a database connection"),
        "what was observed is not asked again"
    );
    let shared = response
        .next_checks
        .iter()
        .find(|c| c.symptom == "database CPU stays low while the app times out");
    if let Some(shared) = shared {
        assert!(shared.gain < first.gain);
    }
}

#[test]
fn the_next_checks_split_the_candidates_in_different_ways() {
    // Four problems alike so far. Two checks split them the same way (a and b against c and
    // d); a third splits them otherwise (a and c against b and d). Alone, each is worth one
    // bit; after the first, the one that splits otherwise is worth another bit and the one
    // that splits the same way nothing.
    let mut evidence = Vec::new();
    for p in 0..4 {
        evidence.push(symptom(p, "machine misbehaves"));
    }
    for p in [0, 1] {
        evidence.push(symptom(p, "alpha gauge pinned"));
        evidence.push(symptom(p, "beta heater warm"));
    }
    for p in [0, 2] {
        evidence.push(symptom(p, "gamma fan loud"));
    }
    let model = TriageModel::new(ModelParts {
        problems: vec![problem("a"), problem("b"), problem("c"), problem("d")],
        evidence,
        causes: Vec::new(),
    });
    let response = observe(&model, "machine misbehaves");
    let checks: Vec<&str> = response
        .next_checks
        .iter()
        .map(|c| c.symptom.as_str())
        .collect();
    assert_eq!(checks.len(), 3, "{checks:?}");
    let first_two: Vec<&str> = checks[..2].to_vec();
    assert!(
        first_two.contains(&"gamma fan loud"),
        "the first two checks split the same way: {checks:?}"
    );
}

#[test]
fn chains_follow_typed_edges_and_stop_at_cycles() {
    // a causes b, b causes c, c causes a; d causes b.
    let model = TriageModel::new(ModelParts {
        problems: vec![problem("a"), problem("b"), problem("c"), problem("d")],
        evidence: vec![],
        causes: vec![(0, 1), (1, 2), (2, 0), (3, 1)],
    });
    let chain = model.chain("a", Direction::Down, 10).expect("a exists");
    let down: Vec<(usize, &str, &str, bool)> = chain
        .down
        .iter()
        .map(|s| (s.depth, s.from.as_str(), s.to.as_str(), s.cycle))
        .collect();
    assert_eq!(
        down,
        vec![
            (1, "a", "b", false),
            (2, "b", "c", false),
            (3, "c", "a", true)
        ]
    );
    assert!(chain.up.is_empty());
    assert!(chain.down.iter().all(|s| s.kind == "causes"));

    let up = model.chain("b", Direction::Up, 10).expect("b exists").up;
    let steps: Vec<(usize, &str, bool)> = up
        .iter()
        .map(|s| (s.depth, s.to.as_str(), s.cycle))
        .collect();
    assert_eq!(
        steps,
        vec![
            (1, "a", false),
            (1, "d", false),
            (2, "c", false),
            (3, "b", true)
        ]
    );
    assert!(up.iter().all(|s| s.kind == "caused_by"));

    let shallow = model.chain("a", Direction::Both, 1).expect("a exists");
    assert_eq!(shallow.down.len(), 1);
    assert_eq!(shallow.up.len(), 1);
    assert!(model.chain("nope", Direction::Both, 3).is_none());
}

#[tokio::test]
async fn the_bundled_catalog_triages_real_lines_and_has_signatures_with_sources() {
    let (_data, model, engine) =
        indexed(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog")).await;
    assert!(model.signature_count() >= 30, "{}", model.signature_count());
    let observed = |statements: &[&str]| {
        model
            .triage(
                &TriageRequest {
                    observed: statements.iter().map(|s| s.to_string()).collect(),
                    ..TriageRequest::default()
                },
                Some(&engine),
            )
            .expect("triage")
    };

    let paste = |text: &str| {
        model
            .triage(
                &TriageRequest {
                    text: text.to_string(),
                    ..TriageRequest::default()
                },
                Some(&engine),
            )
            .expect("triage")
    };

    // A line from a public issue, not the catalog's own signature text.
    let response = paste(
        "[Gemma - http-nio-8181-exec-481 (2022-08-04 09:16:28,650)] ERROR org.hibernate.util.JDBCExceptionReporter.logExceptions(234) | Deadlock found when trying to get lock; try restarting transaction",
    );
    assert_eq!(response.candidates[0].id, "concurrency/database-deadlock");
    assert!(response.candidates[0].matched_lines[0].source.is_some());

    // Pronouns say nothing about the problem: `ours` in keepalived's line had found a
    // symptom that says `our` (log-lines-thirty-fourth.tsv), and split brain was third.
    let response = paste(
        "Received advert from 172.20.131.113 with lower priority 90, ours 100, forcing new election",
    );
    assert_eq!(response.candidates[0].id, "availability/split-brain");

    // A line no signature matches goes to the ranked search.
    let response = paste("pg_stat_activity shows many sessions idle in transaction");
    assert_eq!(response.lines.matched, 0);
    assert_eq!(response.lines.searched, 1);
    assert_eq!(
        response.candidates[0].id,
        "performance/connection-pool-starvation"
    );

    // Cloudflare's `Error 522: connection timed out` is told apart by its code: an older
    // wording of Prisma's pool timeout (prisma/orm#5334), a Go dial error and curl's timeout
    // do not match it, and the search finds what they are about.
    let response = paste(
        "Timed out fetching a new connection from the pool. Please consider reducing the number of requests or increasing the `connection_limit` parameter (https://www.prisma.io/docs/concepts/components/prisma-client/connection-management#connection-pool). Current limit: 250, amount of connections currently in use: 21.",
    );
    assert_eq!((response.lines.matched, response.lines.searched), (0, 1));
    assert_in_top_three(&response, "performance/connection-pool-starvation");
    for line in [
        "dial tcp 10.0.0.5:5432: connect: connection timed out",
        "curl: (28) Connection timed out after 30001 milliseconds",
    ] {
        let response = paste(line);
        assert_eq!(response.lines.matched, 0, "{line}");
        assert!(
            response
                .candidates
                .first()
                .is_none_or(|c| c.id != "scalability/cdn-limits"),
            "{line}"
        );
    }
    // Cloudflare's own page names the code, which the search is given.
    let response = paste("<title>example.com | 522: Connection timed out</title>");
    assert_in_top_three(&response, "scalability/cdn-limits");

    // A signature found only in part, in a line that says much else (SQLite's `FOREIGN KEY
    // constraint failed` inside SQL Server's message), is a hint: the line is looked up too.
    let response = paste(
        r#"System.Data.SqlClient.SqlException (0x80131904): The INSERT statement conflicted with the FOREIGN KEY constraint "FK_Email_Tenants". The conflict occurred in database "Traken_Prod", table "dbo.Tenants", column 'Id'."#,
    );
    assert_eq!((response.lines.matched, response.lines.searched), (1, 1));
    assert_in_top_three(&response, "data-integrity/foreign-key-violations");

    // An access log's failing requests are a group of their own, looked up by their status,
    // even in a paste too long to look up every message.
    let mut access = String::new();
    for i in 0..40 {
        let status = if i % 8 == 0 { 504 } else { 200 };
        access.push_str(&format!(
            "10.0.0.{i} - - [06/Dec/2026:10:00:{:02} +0000] \"GET /api/items/{i} HTTP/1.1\" {status} 512 \"-\" \"kube-probe/1.29\"\n",
            i % 60
        ));
    }
    for routine in [
        "Starting worker 1",
        "Listening on port 8080",
        "Loaded configuration from /etc/app.yaml",
        "Connected to the cache",
        "Scheduler tick completed",
    ] {
        access.push_str(routine);
        access.push('\n');
    }
    let response = paste(&access);
    assert_eq!(response.lines.templates, 7, "{:?}", response.lines);
    assert_eq!(response.lines.searched, 1, "{:?}", response.lines);
    assert_in_top_three(&response, "availability/timeout-domino-effect");

    // Statements weigh together: each alone is short and shares words with other problems;
    // the one article that speaks of both is first. The joint search of the statements weighs
    // as several findings: alone, the second statement is a stale read after write (`updates
    // are gone`), which put that problem first when the joint search weighed as one finding
    // (observations-eighth.tsv).
    let response = observed(&[
        "after the network between the two racks was cut both database nodes consider themselves primary",
        "some customers' updates are gone after the link came back",
    ]);
    assert_eq!(response.candidates[0].id, "availability/split-brain");

    // Statements are searched in the symptoms' words, and a word said twice counts once:
    // `orders … order` had found the titles that say `order` (messages out of order, lock-order
    // deadlocks) ahead of the problem that runs one query per row (observations-third.tsv and
    // observations-twelfth.tsv).
    for statements in [
        [
            "the orders page makes one query for the list and one more per order",
            "the page got slow as customers got more orders",
        ],
        [
            "orders page issues 600 selects to render 50 orders",
            "db cpu high",
        ],
    ] {
        let response = observed(&statements);
        assert_eq!(
            response.candidates[0].id, "performance/n-plus-one-query",
            "{statements:?}"
        );
    }

    // Every word of a statement counts alike toward how much of it an article covers: by
    // rarity, `headline` (a word of the situation, which one example of the stale read after
    // write uses) decided the coverage, and the stale read came first for a stale value
    // written back to the cache (observations-twentieth.tsv).
    let response = observed(&[
        "An editor corrected a headline",
        "the cache was invalidated on save",
        "a read that started before the save wrote the old headline back into the cache for the next day",
    ]);
    assert_eq!(
        response.candidates[0].id,
        "consistency/cache-invalidation-race"
    );

    // A count says nothing of the problem: `one` is in the titles of hot partitions, N+1
    // queries and double booking, where a rare word weighs most, and put N+1 queries first
    // for this overload.
    let response = observed(&[
        "one replica went down and the remaining ones fell over one after another as its load moved to them",
    ]);
    let first: Vec<&str> = response.candidates[..3]
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert!(
        first.contains(&"availability/cascading-failures")
            && !first.contains(&"performance/n-plus-one-query"),
        "{first:?}"
    );

    let chain = model
        .chain("availability/retry-storm", Direction::Both, 3)
        .expect("exists");
    assert!(
        chain
            .up
            .iter()
            .any(|s| s.to == "availability/timeout-domino-effect")
    );
    assert!(
        chain
            .down
            .iter()
            .any(|s| s.to == "availability/cascading-failures")
    );
    assert!(chain.up.iter().chain(&chain.down).any(|s| s.cycle));

    // Routine lines of healthy software match no signature (tests/triage/routine-lines.tsv),
    // and nor do errors of failures the catalog does not describe (unrelated-errors.tsv).
    let read = |name: &str| {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../tests/triage")
                .join(name),
        )
        .expect(name)
    };
    let (routine, unrelated) = (read("routine-lines.tsv"), read("unrelated-errors.tsv"));
    let lines: Vec<&str> = routine
        .lines()
        .chain(unrelated.lines())
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split('\t').next())
        .collect();
    assert!(lines.len() >= 28, "{}", lines.len());

    // Nor does noise: 12,000 lines of base64 (tokens, encoded bodies), whose only words are
    // the fragments between `/` and `+` (such as the `a` of `Error 524: A timeout occurred`).
    const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut noise = String::new();
    for _ in 0..12_000 {
        for _ in 0..76 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            noise.push(char::from(BASE64[(state % 64) as usize]));
        }
        noise.push('\n');
    }
    let response = model
        .triage(
            &TriageRequest {
                text: noise,
                ..TriageRequest::default()
            },
            None,
        )
        .expect("triage");
    assert_eq!(response.lines.messages, 12_000);
    assert_eq!(response.lines.matched, 0);
    for line in lines {
        let response = model
            .triage(
                &TriageRequest {
                    text: line.to_string(),
                    ..TriageRequest::default()
                },
                None,
            )
            .expect("triage");
        assert_eq!(
            response.lines.matched,
            0,
            "{line} matched {:?}",
            response
                .candidates
                .iter()
                .flat_map(|c| &c.matched_lines)
                .map(|m| &m.signature)
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn a_near_miss_signature_is_not_evidence() {
    let model = TriageModel::new(ModelParts {
        problems: vec![problem("migration"), problem("slow")],
        evidence: vec![
            signature(0, "ERROR:  canceling statement due to lock timeout"),
            signature(
                1,
                "ERROR: canceling statement due to statement timeout (SQLSTATE 57014)",
            ),
        ],
        causes: vec![],
    });
    for (line, expected) in [
        (
            "2025-09-27 17:55:45.000 UTC [3265491] postgres@postgres ERROR:  canceling statement due to lock timeout",
            "migration",
        ),
        (
            "sqlalchemy.exc.OperationalError: (psycopg2.errors.QueryCanceled) canceling statement due to statement timeout",
            "slow",
        ),
    ] {
        let found = pasted(&model, line);
        assert_eq!(found, vec![expected.to_string()], "{line}");
    }
}

#[test]
fn a_short_signature_inside_a_longer_match_is_not_evidence() {
    let model = TriageModel::new(ModelParts {
        problems: vec![problem("cdn"), problem("timeout")],
        evidence: vec![
            signature(0, "Error 522: connection timed out"),
            signature(
                1,
                "upstream timed out (110: Connection timed out) while reading response header from upstream",
            ),
        ],
        causes: vec![],
    });
    let line = "2014/01/13 03:02:21 [error] 25698#0: *8 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.0.1";
    let found = pasted(&model, line);
    assert_eq!(found, vec!["timeout".to_string()]);
    // Alone, the short one still matches its own message.
    let found = pasted(&model, "Error 522: connection timed out");
    assert_eq!(found, vec!["cdn".to_string()]);
}

#[test]
fn log_signatures_do_not_shift_how_statements_match_symptoms() {
    let parts = |signatures: Vec<Evidence>| {
        let mut evidence = vec![
            symptom(0, "requests time out for everyone in one region"),
            symptom(1, "one region serves stale pages"),
        ];
        evidence.extend(signatures);
        ModelParts {
            problems: vec![problem("outage"), problem("stale"), problem("dns")],
            evidence,
            causes: vec![],
        }
    };
    let without = TriageModel::new(parts(vec![]));
    let with = TriageModel::new(parts(vec![
        signature(2, "region eu-west-1 is unavailable"),
        signature(2, "lookup failed for region endpoint"),
    ]));
    let score = |model: &TriageModel| {
        observe(model, "requests time out for everyone")
            .candidates
            .iter()
            .find(|c| c.id == "outage")
            .map(|c| c.score)
            .expect("outage is a candidate")
    };
    assert_eq!(score(&without), score(&with));
}

/// Indexes the catalog at `root` into a temporary data folder (returned: the model and engine
/// read from it) and opens its triage model and search engine.
async fn indexed(root: &Path) -> (tempfile::TempDir, TriageModel, SearchEngine) {
    let (config, summary, data) = common::index_catalog(root).await;
    let pool = open_generation(&summary.generation).await.expect("db");
    let model = TriageModel::load(&pool).await.expect("model");
    let engine = SearchEngine::open(&summary.generation, &config)
        .await
        .expect("engine");
    (data, model, engine)
}

/// Writes a problem write-up in the bundled catalog's shape, with its words in the body.
fn write_article(root: &Path, id: &str, title: &str, symptom: &str, body: &str) {
    let path = root.join(format!("{id}.md"));
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("create the folder");
    let text = format!(
        "---\ntitle: \"{title}\"\nsummary: \"{title}.\"\ncategory: performance\ndomain: apis\n\
         industry: finance\ndifficulty: intermediate\nimpact: [downtime]\ntags: [payload-size]\n\
         symptoms:\n  - \"{symptom}\"\nrelated: []\n---\n\n## The Scenario\n\n{body}\n"
    );
    std::fs::write(path, text).expect("write the article");
}

#[tokio::test]
async fn a_message_no_signature_matches_is_also_searched_as_pasted() {
    // The template of the line leaves out the quoted code, which is what names the problem;
    // its other words are another article's.
    let catalog = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog/catalog.toml"),
        catalog.path().join("catalog.toml"),
    )
    .expect("copy catalog.toml");
    write_article(
        catalog.path(),
        "performance/large-payloads",
        "Large Payloads",
        "a request is refused for its size",
        "MySQL refuses the row with ER_NET_PACKET_TOO_LARGE.",
    );
    write_article(
        catalog.path(),
        "performance/slow-queries",
        "Slow Queries",
        "queries take seconds",
        "The server logs an error while loading the page, and the page takes seconds.",
    );
    write_article(
        catalog.path(),
        "availability/split-brain",
        "Split Brain",
        "two nodes both accept writes",
        "After a partition two nodes each believe they lead.",
    );
    let (_data, model, engine) = indexed(catalog.path()).await;
    let line = "Got error 'ER_NET_PACKET_TOO_LARGE' from server while loading";
    let response = model
        .triage(
            &TriageRequest {
                text: line.to_string(),
                ..TriageRequest::default()
            },
            Some(&engine),
        )
        .expect("triage");
    assert_eq!((response.lines.matched, response.lines.searched), (0, 1));
    let score = |id: &str| {
        response
            .candidates
            .iter()
            .find(|c| c.id == id)
            .map_or(0.0, |c| c.score)
    };
    // The template's words find the slow queries; the line as pasted also finds the problem
    // its code names, which a problem the line says nothing of does not share.
    assert_eq!(
        response.candidates.first().map(|c| c.id.as_str()),
        Some("performance/slow-queries")
    );
    assert!(
        score("performance/large-payloads") > score("availability/split-brain"),
        "{response:#?}"
    );
}

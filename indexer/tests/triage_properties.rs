//! Property tests of triage's text handling: any input normalises and matches without a
//! panic, and normalising is stable under the variable parts it replaces.

use catalog_indexer::triage::normalize::{message_lines, normalize_line};
use catalog_indexer::triage::signatures::SignatureIndex;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_normalises_and_matches(signatures in proptest::collection::vec(any::<String>(), 0..6), text in any::<String>()) {
        let index = SignatureIndex::new(
            signatures.iter().enumerate().map(|(key, s)| (key, normalize_line(s))),
        );
        for (_, line) in message_lines(&text, 2_000) {
            let template = normalize_line(line);
            for found in index.matches(&template) {
                prop_assert!(found.similarity > 0.0 && found.similarity <= 1.0);
                prop_assert!(found.key < signatures.len());
            }
        }
    }

    #[test]
    fn printed_values_do_not_change_the_template(
        number in 0u32..1_000_000,
        octets in proptest::array::uniform4(0u8..=255),
        millis in 1u32..100_000,
        word in "[a-z]{3,8}",
    ) {
        let line = |n: u32, ip: [u8; 4], ms: u32| {
            format!(
                "ERROR worker-{n}: {word} failed for order {n} from {}.{}.{}.{}:5432 after {ms}ms",
                ip[0], ip[1], ip[2], ip[3]
            )
        };
        prop_assert_eq!(
            normalize_line(&line(number, octets, millis)),
            normalize_line(&line(7, [10, 0, 0, 1], 30_000))
        );
    }
}

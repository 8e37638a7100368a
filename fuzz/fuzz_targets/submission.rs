//! Feeds arbitrary bytes to the submission parser, as the HTTP body of
//! `POST /v1/campaigns/{slug}/endorsements`. It must never panic; whatever it accepts must be
//! clean text within the contract's limits.
#![no_main]

use endorse::routes::endorsements::ValidSubmission;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    if let Ok(submission) = ValidSubmission::parse_body(Some("application/json"), body) {
        let name = submission.organisation_name();
        let length = name.chars().count();
        assert!((2..=200).contains(&length), "{name:?}");
        assert!(!name.chars().any(char::is_control), "{name:?}");
        assert_eq!(name.trim(), name);
        assert!(!name.contains("  "));
    }
});

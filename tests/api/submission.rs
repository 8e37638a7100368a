use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{field_errors, problem, submission, TestApp, CAMPAIGN};
use crate::on_both_backends;

on_both_backends! {
    async fn a_valid_submission_is_accepted_as_pending(app: TestApp) {
        let response = app.submit(&submission("  Save   the Children ", "gb")).await;
        assert_eq!(response.status(), 202);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        let receipt: Value = response.json().await.unwrap();
        assert_eq!(receipt["status"], "pending");
        assert_eq!(receipt["campaign"], CAMPAIGN);
        assert_eq!(receipt["organisation_name"], "Save the Children");
        assert_eq!(receipt["country_code"], "GB");
        assert!(receipt["submitted_at"].as_str().unwrap().ends_with('Z'));
        assert_eq!(
            location,
            format!("/v1/campaigns/{CAMPAIGN}/endorsements/{}", receipt["id"])
        );
        assert!(receipt.get("contact_email").is_none());
        assert!(receipt.get("contact_name").is_none());
    }
}

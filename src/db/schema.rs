// One schema for both backends: only types SQLite and PostgreSQL share (BigInt ids, Text, UTC
// Timestamp without zone). The two migration trees must produce exactly these columns, with
// the same indexes and checks; tests/api/migrations.rs checks it on both backends.

diesel::table! {
    campaigns (id) {
        id -> BigInt,
        slug -> Text,
        title -> Text,
        description -> Nullable<Text>,
        url -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        counts_changed_at -> Timestamp,
        counts_version -> BigInt,
    }
}

diesel::table! {
    endorsements (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        organisation_name -> Text,
        name_key -> Text,
        organisation_type -> Text,
        country_code -> Text,
        website -> Nullable<Text>,
        statement -> Nullable<Text>,
        visibility -> Text,
        status -> Text,
        contact_name -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        submitter_ip -> Nullable<Text>,
        moderation_note -> Nullable<Text>,
        endorsed_at -> Timestamp,
        submitted_at -> Timestamp,
        updated_at -> Timestamp,
        lang -> Text,
        contact_confirmed_at -> Nullable<Timestamp>,
        confirm_token_hash -> Nullable<Text>,
        confirm_expires_at -> Nullable<Timestamp>,
        duplicate_of -> Nullable<BigInt>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        label -> Text,
        role -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        actor -> Text,
        token_id -> Nullable<BigInt>,
        action -> Text,
        subject_type -> Text,
        subject_id -> Text,
        campaign_id -> Nullable<BigInt>,
        details -> Text,
    }
}

diesel::table! {
    idempotency_keys (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        idempotency_key -> Text,
        request_hash -> Text,
        endorsement_id -> BigInt,
        response_body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    campaign_counts (campaign_id, organisation_type, country_code) {
        campaign_id -> BigInt,
        organisation_type -> Text,
        country_code -> Text,
        organisations -> BigInt,
        count_only -> BigInt,
    }
}

diesel::table! {
    derived_data (name) {
        name -> Text,
        version -> BigInt,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> BigInt,
        endorsement_id -> BigInt,
        kind -> Text,
        recipient -> Text,
        lang -> Text,
        token -> Nullable<Text>,
        attempts -> BigInt,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        failed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    confirmation_sends (id) {
        id -> BigInt,
        endorsement_id -> BigInt,
        recipient_key -> Text,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    submission_quotas (client) {
        client -> Binary,
        whole_at_us -> BigInt,
        allowed -> Bool,
    }
}

diesel::table! {
    secrets (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    console_sessions (id) {
        id -> BigInt,
        secret_hash -> Text,
        token_id -> BigInt,
        form_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::table! {
    webhooks (id) {
        id -> BigInt,
        url -> Text,
        secret -> Text,
        created_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
        last_attempt_at -> Nullable<Timestamp>,
        last_response_status -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_events (event, webhook_id) {
        event -> Text,
        webhook_id -> BigInt,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> BigInt,
        webhook_id -> BigInt,
        message_id -> Text,
        event -> Text,
        endorsement_id -> Nullable<BigInt>,
        payload -> Text,
        status -> Text,
        attempts -> BigInt,
        next_attempt_at -> Timestamp,
        first_attempt_at -> Nullable<Timestamp>,
        last_attempt_at -> Nullable<Timestamp>,
        last_response_status -> Nullable<BigInt>,
        last_response_excerpt -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    scrubs_owed (id) {
        id -> BigInt,
        erased_at -> Timestamp,
        erased_xid -> BigInt,
    }
}

diesel::joinable!(endorsements -> campaigns (campaign_id));
diesel::joinable!(webhook_events -> webhooks (webhook_id));
diesel::joinable!(console_sessions -> api_tokens (token_id));
diesel::allow_tables_to_appear_in_same_query!(
    campaigns,
    endorsements,
    api_tokens,
    audit_log,
    idempotency_keys,
    campaign_counts,
    derived_data,
    mail_outbox,
    confirmation_sends,
    scrubs_owed,
    submission_quotas,
    secrets,
    console_sessions,
    webhooks,
    webhook_events,
    webhook_deliveries
);

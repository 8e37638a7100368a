//! The OpenAPI document: made from the same `configure` as the routes, then completed by rule.
//! Each `#[utoipa::path]` lists only the responses with a meaning of their own; what every
//! operation of a kind shares is added here, once, by walking the operations (as crates.io
//! does): the bearer token and 401/403 for moderation, 400/413/415/422 where there is a body,
//! 400 where there is a query, 404 where the path names something, 304 for cacheable public
//! reads, and 503 wherever the database is read.

use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::schema::{Schema, SchemaType, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Content, OpenApi as OpenApiDoc, Ref, RefOr, Required, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::error::PROBLEM_JSON;
use crate::middleware::problem::KnownRoutes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "endorse",
        description = "Organisations endorse campaigns; the campaign secretariat moderates them; \
partner websites show the running count.\n\nErrors are RFC 9457 problem documents \
(`application/problem+json`). Public reads send `Access-Control-Allow-Origin: *`, an `ETag` \
honoured by `If-None-Match`, and `Cache-Control`; every `GET` answers `HEAD` too. Lists are \
paged with `limit` and an opaque `cursor`; the next page is also linked in a \
`Link: <…>; rel=\"next\"` header.",
        license(name = "MIT OR Apache-2.0"),
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "public", description = "Reads anyone may make, and submissions"),
        (name = "moderation", description = "The secretariat's work; needs a bearer token"),
        (name = "embeds", description = "What partner websites embed: a badge, a counter page, a web component"),
        (name = "operations", description = "Health of the service"),
    ),
    components(schemas(
        crate::error::Problem,
        crate::error::FieldError,
        crate::domain::FieldCode,
        crate::domain::timeline::Interval,
    )),
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.description = Some(
            "A token made with `endorse token create --role moderator|admin --label TEXT`.".into(),
        );
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// The OpenAPI document, exactly as `/openapi.json` serves it and `openapi/openapi.json`
/// holds it.
pub fn openapi_json() -> String {
    let mut json = openapi().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}

pub fn openapi() -> OpenApiDoc {
    let mut doc = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(super::configure)
        .split_for_parts()
        .1;
    for (path, item) in doc.paths.paths.iter_mut() {
        for (method, operation) in operations(item) {
            if let Some(operation) = operation {
                complete(path, method, operation);
            }
        }
    }
    doc
}

/// The pages for people, which the OpenAPI document (of the JSON API) does not describe: one
/// per line, the methods it answers, then its path. The console's are `console::configure`'s.
const PAGES: &str = "
    GET HEAD POST  /sign/{slug}
    GET HEAD       /sign/{slug}/thanks
    GET HEAD POST  /embed/{slug}/form
    GET HEAD       /embed/{slug}/form/thanks
    GET HEAD POST  /confirm/{token}
    POST           /confirm/{token}/renew
    GET HEAD       /assets/pages.css
    GET HEAD       /assets/pages.js
    GET HEAD       /assets/list.css
    GET HEAD       /assets/console.css
    GET HEAD       /openapi.json
    GET HEAD       /admin
    GET HEAD       /admin/
    GET HEAD POST  /admin/sign-in
    POST           /admin/sign-out
    GET HEAD       /admin/queue
    GET HEAD       /admin/endorsements
    GET HEAD       /admin/endorsements/{id}
    POST           /admin/endorsements/{id}/{action}
    GET HEAD       /admin/audit
    GET HEAD POST  /admin/campaigns
    GET HEAD POST  /admin/campaigns/{slug}
    GET HEAD       /admin/export
    GET HEAD       /admin/tokens
    POST           /admin/tokens/{id}/revoke
";

/// [`PAGES`] as paths with their methods.
fn pages() -> impl Iterator<Item = (String, Vec<&'static str>)> {
    PAGES.lines().filter_map(|line| {
        let mut words: Vec<&'static str> = line.split_whitespace().collect();
        let path = words.pop()?;
        Some((path.to_string(), words))
    })
}

/// The operations of a path, by method.
fn operations(item: &mut PathItem) -> [(&'static str, &mut Option<Operation>); 5] {
    [
        ("GET", &mut item.get),
        ("POST", &mut item.post),
        ("PUT", &mut item.put),
        ("PATCH", &mut item.patch),
        ("DELETE", &mut item.delete),
    ]
}

/// Every mounted path with the methods it answers (`HEAD` wherever `GET`).
pub fn known_routes() -> KnownRoutes {
    let mut doc = openapi();
    let pages = pages();
    KnownRoutes::new(
        doc.paths
            .paths
            .iter_mut()
            .map(|(path, item)| {
                let mut methods: Vec<&'static str> = operations(item)
                    .into_iter()
                    .filter_map(|(method, operation)| operation.is_some().then_some(method))
                    .collect();
                if methods.first() == Some(&"GET") {
                    methods.insert(1, "HEAD");
                }
                (path.clone(), methods)
            })
            .chain(pages),
    )
}

/// Operations only admins may use (the `Admin` extractor); the others of the moderation tag
/// take a moderator's token.
const ADMIN_ONLY: [&str; 8] = [
    "create_campaign",
    "edit_campaign",
    "erase_endorsement",
    "read_audit_log",
    "create_webhook",
    "list_webhooks",
    "delete_webhook",
    "list_webhook_deliveries",
];

/// Operations that answer without the database.
const NO_DATABASE: [&str; 3] = ["healthz", "widget", "list_countries"];

fn has_tag(operation: &Operation, tag: &str) -> bool {
    operation
        .tags
        .as_ref()
        .is_some_and(|tags| tags.iter().any(|t| t == tag))
}

/// Adds to one operation what it shares with every operation of its kind.
fn complete(path: &str, method: &str, operation: &mut Operation) {
    if has_tag(operation, "moderation") {
        operation.security = Some(vec![SecurityRequirement::new(
            "bearer",
            Vec::<String>::new(),
        )]);
    }
    problem_content(operation);
    optional_body(operation);
    // What is needed of the operation, read before `add` borrows its responses.
    let (secured, has_body, has_query, id) = (
        operation.security.is_some(),
        operation.request_body.is_some(),
        operation.parameters.as_ref().is_some_and(|ps| {
            ps.iter()
                .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query))
        }),
        operation.operation_id.clone().unwrap_or_default(),
    );
    let public_get =
        method == "GET" && (has_tag(operation, "public") || has_tag(operation, "embeds"));
    let mut add = |status: &str, description: &str| {
        operation
            .responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| problem_response(description));
    };
    if secured {
        add("401", "No valid token");
        if ADMIN_ONLY.contains(&id.as_str()) {
            add("403", "The token is not an admin's");
        } else {
            add("403", "The token lacks the role");
        }
    }
    if has_body {
        add("400", "The body is not valid JSON");
        add(
            "413",
            &format!(
                "The body is larger than {} KiB",
                super::MAX_BODY_BYTES / 1024
            ),
        );
        add("415", "The body is not JSON");
        add("422", "One or more fields are invalid");
    } else if has_query {
        add("400", "A malformed query");
    }
    match (path.contains("{slug}"), path.contains("{id}")) {
        (true, true) => add("404", "No such campaign, or no such endorsement of it"),
        (true, false) => add("404", "No such campaign"),
        (false, true) if path.starts_with("/v1/admin/webhooks/") => add("404", "No such webhook"),
        (false, true) => add("404", "No such endorsement"),
        (false, false) => {}
    }
    if !NO_DATABASE.contains(&id.as_str()) {
        add("503", "The database is unavailable");
    }
    if public_get {
        operation
            .responses
            .responses
            .entry("304".into())
            .or_insert_with(|| {
                RefOr::T(ResponseBuilder::new().description("Not modified").build())
            });
    }
}

fn problem_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                PROBLEM_JSON,
                Content::new(Some(RefOr::Ref(Ref::from_schema_name("Problem")))),
            )
            .build(),
    )
}

/// Responses a handler declared with `body = Problem` are problem documents.
fn problem_content(operation: &mut Operation) {
    for response in operation.responses.responses.values_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let is_problem = response.content.get("application/json").is_some_and(|content| {
            matches!(content, RefOr::T(content)
                if matches!(&content.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("/Problem")))
        });
        if is_problem {
            if let Some(content) = response.content.shift_remove("application/json") {
                response.content.insert(PROBLEM_JSON.to_string(), content);
            }
        }
    }
}

/// An optional request body (`request_body(content = Option<T>)`) comes out of utoipa as a
/// schema `oneOf [T, null]`, which generated clients read as "send an explicit null". Said
/// the way generators understand: the body's schema is `T`, and the body is not required.
fn optional_body(operation: &mut Operation) {
    let is_null = |schema: &RefOr<Schema>| matches!(schema, RefOr::T(Schema::Object(object)) if object.schema_type == SchemaType::Type(Type::Null));
    let Some(RefOr::T(body)) = operation.request_body.as_mut() else {
        return;
    };
    let mut optional = false;
    for content in body.content.values_mut() {
        let RefOr::T(content) = content else { continue };
        if let Some(RefOr::T(Schema::OneOf(one_of))) = &content.schema {
            if one_of.items.len() == 2 && one_of.items.iter().any(is_null) {
                content.schema = one_of.items.iter().find(|s| !is_null(s)).cloned();
                optional = true;
            }
        }
    }
    if optional {
        body.required = Some(Required::False);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_routes_answer_head_right_after_get() {
        let routes = known_routes();
        let cases = [
            ("/v1/campaigns/x/endorsements", vec!["GET", "HEAD", "POST"]),
            (
                "/v1/admin/endorsements/5",
                vec!["GET", "HEAD", "PATCH", "DELETE"],
            ),
            ("/v1/admin/endorsements/5/approve", vec!["POST"]),
            ("/sign/x", vec!["GET", "HEAD", "POST"]),
            ("/admin/queue", vec!["GET", "HEAD"]),
            ("/admin/endorsements/5/approve", vec!["POST"]),
            ("/v1/nowhere", vec![]),
        ];
        for (path, methods) in cases {
            assert_eq!(routes.methods_for(path), methods, "{path}");
        }
    }
}

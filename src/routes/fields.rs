//! Reading JSON bodies field by field, so that every failing field is reported at once
//! (one `errors` entry each), unknown fields are refused, and syntax errors (400) stay apart
//! from content errors (422).

use std::collections::{BTreeSet, HashMap};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde_json::{Map, Value};

use crate::domain::{FieldCode, Invalid, Parse};
use crate::error::{ApiError, FieldError};

/// The fields of an `application/x-www-form-urlencoded` body; the first of a repeated name
/// counts. A body that is not such a form has no fields.
pub fn form_fields(body: &[u8]) -> HashMap<String, String> {
    let mut fields = HashMap::new();
    for (name, value) in url::form_urlencoded::parse(body) {
        fields
            .entry(name.into_owned())
            .or_insert_with(|| value.into_owned());
    }
    fields
}

/// A request body that must be one JSON object, read into a [`Form`]. (Larger than
/// `MAX_BODY_BYTES`: 413; not JSON: 415; not valid JSON: 400; not an object: 422.)
pub struct JsonBody(pub Form);

/// A request body that may be empty; when there is one, it is a JSON object.
pub struct OptionalJsonBody(pub Form);

/// The body's bytes, read within the app's `PayloadConfig` limit.
fn read_body(
    req: &HttpRequest,
    payload: &mut Payload,
) -> impl std::future::Future<Output = Result<web::Bytes, ApiError>> + 'static {
    let bytes = web::Bytes::from_request(req, payload);
    async move {
        bytes
            .await
            .map_err(|e| match e.as_response_error().status_code().as_u16() {
                413 => ApiError::PayloadTooLarge,
                _ => ApiError::bad_request(format!("the body could not be read: {e}")),
            })
    }
}

impl FromRequest for JsonBody {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (req, body) = (req.clone(), read_body(req, payload));
        Box::pin(async move { Ok(JsonBody(Form::new(json_object(&req, &body.await?)?))) })
    }
}

impl FromRequest for OptionalJsonBody {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (req, body) = (req.clone(), read_body(req, payload));
        Box::pin(async move {
            let body = body.await?;
            Ok(OptionalJsonBody(Form::new(optional_json_object(
                &req, &body,
            )?)))
        })
    }
}

/// Parses a request body that must be one JSON object.
pub fn json_object(req: &HttpRequest, body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    json_object_of(content_type, body)
}

/// Parses a body sent with `content_type` that must be one JSON object.
pub fn json_object_of(
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Map<String, Value>, ApiError> {
    require_json(content_type.unwrap_or(""))?;
    let OneKeyEach(value) = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the body is not valid JSON: {e}")))?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(ApiError::validation(
            "(body)",
            FieldCode::InvalidType,
            "the body must be a JSON object",
        )),
    }
}

/// A JSON value whose objects name each key once. `serde_json` lets the last of a repeated key
/// win, so `{"visibility": "count_only", "visibility": "public"}` would mean what a proxy or a
/// log that reads the first one does not: a body with a repeated key is refused instead.
struct OneKeyEach(Value);

impl<'de> serde::Deserialize<'de> for OneKeyEach {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(OneKeyEachVisitor)
            .map(OneKeyEach)
    }
}

struct OneKeyEachVisitor;

impl<'de> serde::de::Visitor<'de> for OneKeyEachVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(OneKeyEach(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "the key {key:?} appears twice in one object"
                )));
            }
            let OneKeyEach(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// Like [`json_object`], but an empty body (with or without a content type) is `{}`: the body
/// is optional, and when there is one it is an object, as the spec says.
pub fn optional_json_object(
    req: &HttpRequest,
    body: &[u8],
) -> Result<Map<String, Value>, ApiError> {
    if body.trim_ascii().is_empty() {
        return Ok(Map::new());
    }
    json_object(req, body)
}

fn require_json(content_type: &str) -> Result<(), ApiError> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
    {
        Ok(())
    } else if content_type.is_empty() {
        Err(ApiError::UnsupportedMediaType(
            "send the body as JSON with Content-Type: application/json".into(),
        ))
    } else {
        Err(ApiError::UnsupportedMediaType(format!(
            "{content_type:?} is not accepted; send application/json"
        )))
    }
}

/// A change to an optional field: leave it, clear it, or set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change<T> {
    Keep,
    Clear,
    Set(T),
}

impl<T> Change<T> {
    /// `None` to keep, `Some(None)` to clear, `Some(Some(v))` to set.
    pub fn into_option(self) -> Option<Option<T>> {
        match self {
            Change::Keep => None,
            Change::Clear => Some(None),
            Change::Set(v) => Some(Some(v)),
        }
    }
}

/// Takes fields out of a JSON object, collecting what is wrong with each.
pub struct Form {
    fields: Map<String, Value>,
    known: BTreeSet<&'static str>,
    errors: Vec<FieldError>,
}

impl Form {
    pub fn new(fields: Map<String, Value>) -> Form {
        Form {
            fields,
            known: BTreeSet::new(),
            errors: Vec::new(),
        }
    }

    fn take(&mut self, name: &'static str) -> Option<Value> {
        self.known.insert(name);
        self.fields.remove(name)
    }

    fn fail(&mut self, name: &str, invalid: Invalid) {
        self.errors
            .push(FieldError::new(name, invalid.code, invalid.message));
    }

    /// Records that `name` is not of the JSON type `expected`; always `None`.
    fn wrong_type<T>(&mut self, name: &str, expected: &str, value: &Value) -> Option<T> {
        let message = format!("must be {expected}, not {}", json_kind(value));
        self.fail(name, Invalid::new(FieldCode::InvalidType, message));
        None
    }

    /// Records that `name` is required, saying `why`; always `None`.
    fn missing<T>(&mut self, name: &str, why: &str) -> Option<T> {
        self.fail(name, Invalid::new(FieldCode::Required, why));
        None
    }

    fn string_of(&mut self, name: &str, value: Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s),
            other => self.wrong_type(name, "a string", &other),
        }
    }

    /// A present value through `parse`; `None` once what is wrong with it is recorded.
    fn parsed<T>(&mut self, name: &str, raw: &str, parse: impl Parse<T>) -> Option<T> {
        parse(raw).map_err(|e| self.fail(name, e)).ok()
    }

    /// A string field that must be present and valid.
    pub fn required<T>(&mut self, name: &'static str, parse: impl Parse<T>) -> Option<T> {
        match self.take(name) {
            None | Some(Value::Null) => self.missing(name, "is required"),
            Some(value) => {
                let raw = self.string_of(name, value)?;
                self.parsed(name, &raw, parse)
            }
        }
    }

    /// A string field that may be absent, null or blank (all meaning "none").
    /// The outer `None` means the field was invalid.
    pub fn optional<T>(&mut self, name: &'static str, parse: impl Parse<T>) -> Option<Option<T>> {
        match self.change(name, parse)? {
            Change::Set(v) => Some(Some(v)),
            Change::Keep | Change::Clear => Some(None),
        }
    }

    /// A field of a partial update: absent keeps, null or blank clears, a value sets.
    /// `None` means the field was invalid.
    pub fn change<T>(&mut self, name: &'static str, parse: impl Parse<T>) -> Option<Change<T>> {
        match self.take(name) {
            None => Some(Change::Keep),
            Some(Value::Null) => Some(Change::Clear),
            Some(value) => match self.string_of(name, value)? {
                raw if raw.trim().is_empty() => Some(Change::Clear),
                raw => self.parsed(name, &raw, parse).map(Change::Set),
            },
        }
    }

    /// A field of a partial update that cannot be cleared: absent keeps, a value sets.
    /// `None` means the field was invalid.
    pub fn replace<T>(&mut self, name: &'static str, parse: impl Parse<T>) -> Option<Option<T>> {
        match self.take(name) {
            None => Some(None),
            Some(Value::Null) => self.missing(name, "cannot be cleared"),
            Some(value) => {
                let raw = self.string_of(name, value)?;
                self.parsed(name, &raw, parse).map(Some)
            }
        }
    }

    /// A field that must be a non-empty JSON array of strings, each through `parse`; each
    /// failing item is reported as `name[index]`. `None` means the field was invalid.
    pub fn required_list<T>(
        &mut self,
        name: &'static str,
        parse: impl Fn(&str) -> Result<T, Invalid>,
    ) -> Option<Vec<T>> {
        match self.take(name) {
            None | Some(Value::Null) => self.missing(name, "is required"),
            Some(Value::Array(items)) if items.is_empty() => {
                self.missing(name, "must name at least one")
            }
            Some(Value::Array(items)) => {
                let mut parsed = Vec::with_capacity(items.len());
                let mut valid = true;
                for (index, item) in items.into_iter().enumerate() {
                    let field = format!("{name}[{index}]");
                    let value = match item {
                        Value::String(raw) => parse(&raw).map_err(|e| self.fail(&field, e)).ok(),
                        other => self.wrong_type(&field, "a string", &other),
                    };
                    match value {
                        Some(value) => parsed.push(value),
                        None => valid = false,
                    }
                }
                valid.then_some(parsed)
            }
            Some(other) => self.wrong_type(name, "an array of strings", &other),
        }
    }

    /// A boolean field: `Some(None)` when absent or null, `None` when invalid (reported).
    pub fn boolean(&mut self, name: &'static str) -> Option<Option<bool>> {
        match self.take(name) {
            None | Some(Value::Null) => Some(None),
            Some(Value::Bool(b)) => Some(Some(b)),
            Some(other) => self.wrong_type(name, "true or false", &other),
        }
    }

    /// Records an error found by the caller.
    pub fn reject(&mut self, name: &str, invalid: Invalid) {
        self.fail(name, invalid);
    }

    /// Ends the reading like [`Form::finish`], then gathers the values read: `valid` is
    /// called only when every field was valid, so each of its `?` succeeds.
    pub fn finish_with<T>(self, valid: impl FnOnce() -> Option<T>) -> Result<T, ApiError> {
        self.finish()?;
        valid().ok_or_else(|| ApiError::internal(anyhow::anyhow!("a valid form lacked a value")))
    }

    /// Ends the reading: any field not asked for is unknown. Returns every error found.
    pub fn finish(mut self) -> Result<(), ApiError> {
        let unknown: Vec<String> = self
            .fields
            .keys()
            .filter(|k| !self.known.contains(k.as_str()))
            .cloned()
            .collect();
        for field in unknown {
            let known = self.known.iter().copied().collect::<Vec<_>>().join(", ");
            self.errors.push(FieldError::new(
                field,
                FieldCode::UnknownField,
                format!("is not a field of this request; known fields: {known}"),
            ));
        }
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.errors))
        }
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::OrganisationName;
    use serde_json::json;

    fn form(value: Value) -> Form {
        match value {
            Value::Object(map) => Form::new(map),
            _ => unreachable!(),
        }
    }

    #[test]
    fn a_key_repeated_at_any_depth_is_malformed_and_a_key_per_object_is_not() {
        let parse = |body: &str| json_object_of(Some("application/json"), body.as_bytes());
        for repeated in [
            r#"{"visibility": "count_only", "visibility": "public"}"#,
            r#"{"a": {"b": 1, "b": 2}}"#,
            r#"{"a": [{"c": 1, "c": 1}]}"#,
        ] {
            let Err(ApiError::BadRequest { detail, .. }) = parse(repeated) else {
                panic!("{repeated} was accepted")
            };
            assert!(detail.contains("appears twice"), "{detail}");
        }
        let same_key_apart = parse(r#"{"a": {"b": 1}, "c": {"b": [1.5, -2, null, true]}}"#);
        assert_eq!(
            Value::Object(same_key_apart.unwrap()),
            json!({"a": {"b": 1}, "c": {"b": [1.5, -2, null, true]}})
        );
    }

    #[test]
    fn every_failing_field_is_reported_once() {
        let mut f = form(json!({"organisation_name": 5, "extra": true}));
        assert!(f
            .required("organisation_name", OrganisationName::parse)
            .is_none());
        assert!(f
            .required("contact_name", OrganisationName::parse)
            .is_none());
        let Err(ApiError::Validation(errors)) = f.finish() else {
            panic!("expected a validation error")
        };
        let found: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("organisation_name", "invalid_type"),
                ("contact_name", "required"),
                ("extra", "unknown_field")
            ]
        );
    }

    #[test]
    fn a_change_tells_keep_clear_and_set_apart() {
        let mut f = form(json!({"a": null, "b": "", "c": "Amnesty"}));
        assert_eq!(f.change("a", OrganisationName::parse), Some(Change::Clear));
        assert_eq!(f.change("b", OrganisationName::parse), Some(Change::Clear));
        assert!(matches!(
            f.change("c", OrganisationName::parse),
            Some(Change::Set(_))
        ));
        assert_eq!(f.change("d", OrganisationName::parse), Some(Change::Keep));
        assert!(f.finish().is_ok());
    }
}

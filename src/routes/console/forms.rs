//! Console forms after a post they refuse: sent back with what was typed and what is wrong
//! with each field, or shown fresh with what the last action did.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use minijinja::Value;

use super::{Posted, Refusal};
use crate::error::{ApiError, FieldError};

/// A form the console sends back: what was typed, and what is wrong with each field (shown
/// in an error summary at the top and beside each field).
pub struct SentBack {
    pub status: StatusCode,
    pub typed: HashMap<String, String>,
    pub errors: Vec<FieldError>,
}

impl SentBack {
    /// The form of `posted` sent back for `error` when it is about what was typed (invalid
    /// fields: 422; a duplicate or a taken slug: 409 on `field`); any other error stays one.
    pub fn of(posted: &Posted, error: ApiError, field: &str) -> Result<SentBack, Refusal> {
        let (status, errors) = match error {
            ApiError::Validation(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
            ApiError::Duplicate(message) | ApiError::Conflict(message) => (
                StatusCode::CONFLICT,
                vec![FieldError::new(
                    field,
                    crate::domain::FieldCode::InvalidChoice,
                    message,
                )],
            ),
            other => return Err(other.into()),
        };
        let mut typed = posted.fields.clone();
        typed.remove("csrf");
        Ok(SentBack {
            status,
            typed,
            errors,
        })
    }
}

/// How a page with a form is shown: after a `GET`, saying what the last action did (if
/// anything); or after a post it refused, with the form sent back.
pub enum Showing {
    Done(Option<Value>),
    SentBack(SentBack),
}

impl Showing {
    /// What the template shows: the values (`current` overlaid with what was typed), the
    /// mistakes, and the status to answer (200 when nothing was sent back).
    pub fn view(self, current: HashMap<String, String>) -> FormView {
        let mut view = FormView {
            status: StatusCode::OK,
            flash: None,
            form: current,
            errors: HashMap::new(),
            error_list: Vec::new(),
        };
        match self {
            Showing::Done(flash) => view.flash = flash,
            Showing::SentBack(sent_back) => {
                view.status = sent_back.status;
                view.form.extend(sent_back.typed);
                for error in sent_back.errors {
                    view.errors
                        .insert(error.field.clone(), error.message.clone());
                    view.error_list.push((error.field, error.message));
                }
            }
        }
        view
    }
}

/// A form's values and mistakes as a template shows them.
pub struct FormView {
    pub status: StatusCode,
    /// What the last action did.
    pub flash: Option<Value>,
    /// Field → value.
    pub form: HashMap<String, String>,
    /// Field → what is wrong with it.
    pub errors: HashMap<String, String>,
    /// The mistakes in order, for the error summary.
    pub error_list: Vec<(String, String)>,
}

impl FormView {
    pub fn value(&self, field: &str) -> Option<&str> {
        self.form.get(field).map(String::as_str)
    }
}

//! The checks every way in shares: the JSON API, moderators' direct records and the sign-on
//! form parse an endorsement's fields here, so they accept and refuse the same things with the
//! same messages.

use serde_json::Value;

use crate::domain::{
    ContactEmail, ContactName, CountryCode, EndorsementStatus, FieldCode, Invalid,
    OrganisationName, OrganisationType, Statement, Visibility, Website,
};
use crate::error::ApiError;
use crate::routes::fields::{json_object_of, Form};
use crate::store::endorsements::NewEndorsement;

/// A public submission that has passed every check.
#[derive(Clone)]
pub struct ValidSubmission {
    fields: CompleteFields,
    contact_name: ContactName,
    contact_email: ContactEmail,
}

impl ValidSubmission {
    /// Checks a submission's JSON object: every field, unknown fields, consent.
    pub fn parse(object: serde_json::Map<String, Value>) -> Result<ValidSubmission, ApiError> {
        let mut form = Form::new(object);
        let fields = EndorsementFields::read(&mut form);
        let contact_name = form.required("contact_name", ContactName::parse);
        let contact_email = form.required("contact_email", ContactEmail::parse);
        match form.boolean("consent_to_publish") {
            Some(Some(true)) | None => {}
            Some(Some(false) | None) => form.reject(
                "consent_to_publish",
                Invalid::new(
                    FieldCode::ConsentRequired,
                    "must be true: the organisation agrees that its endorsement is published",
                ),
            ),
        }
        // After `finish`, every field read above is known to be valid.
        form.finish()?;
        match (fields.complete(), contact_name, contact_email) {
            (Some(fields), Some(contact_name), Some(contact_email)) => Ok(ValidSubmission {
                fields,
                contact_name,
                contact_email,
            }),
            _ => Err(ApiError::internal(anyhow::anyhow!(
                "form finished with missing fields"
            ))),
        }
    }

    /// Checks a whole request body as sent with `content_type`.
    pub fn parse_body(
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<ValidSubmission, ApiError> {
        Self::parse(json_object_of(content_type, body)?)
    }

    pub fn organisation_name(&self) -> &str {
        self.fields.name.as_str()
    }

    pub fn country(&self) -> CountryCode {
        self.fields.country
    }

    pub fn into_new(self, campaign_id: i64, submitter_ip: Option<String>) -> NewEndorsement {
        self.fields.into_new(
            campaign_id,
            EndorsementStatus::Pending,
            Some(self.contact_name),
            Some(self.contact_email),
            submitter_ip,
            None,
        )
    }
}

/// The organisation's fields, shared by public submission and moderators' direct creation.
pub struct EndorsementFields {
    name: Option<OrganisationName>,
    organisation_type: Option<OrganisationType>,
    country: Option<CountryCode>,
    website: Option<Option<Website>>,
    statement: Option<Option<Statement>>,
    visibility: Option<Option<Visibility>>,
}

#[derive(Clone)]
pub struct CompleteFields {
    name: OrganisationName,
    organisation_type: OrganisationType,
    country: CountryCode,
    website: Option<Website>,
    statement: Option<Statement>,
    visibility: Visibility,
}

impl EndorsementFields {
    pub fn read(form: &mut Form) -> EndorsementFields {
        EndorsementFields {
            name: form.required("organisation_name", OrganisationName::parse),
            organisation_type: form.required("organisation_type", OrganisationType::parse),
            country: form.required("country_code", CountryCode::parse),
            website: form.optional("website", Website::parse),
            statement: form.optional("statement", Statement::parse),
            visibility: form.optional("visibility", Visibility::parse),
        }
    }

    pub fn complete(self) -> Option<CompleteFields> {
        Some(CompleteFields {
            name: self.name?,
            organisation_type: self.organisation_type?,
            country: self.country?,
            website: self.website?,
            statement: self.statement?,
            visibility: self.visibility?.unwrap_or(Visibility::Public),
        })
    }
}

impl CompleteFields {
    pub fn into_new(
        self,
        campaign_id: i64,
        status: EndorsementStatus,
        contact_name: Option<ContactName>,
        contact_email: Option<ContactEmail>,
        submitter_ip: Option<String>,
        endorsed_at: Option<chrono::NaiveDateTime>,
    ) -> NewEndorsement {
        NewEndorsement {
            campaign_id,
            name: self.name,
            organisation_type: self.organisation_type,
            country: self.country,
            website: self.website,
            statement: self.statement,
            visibility: self.visibility,
            status,
            contact_name,
            contact_email,
            submitter_ip,
            endorsed_at,
            lang: "en".into(),
        }
    }
}

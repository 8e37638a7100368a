use super::{text_value, word_enum};

text_value! {
    /// An organisation's name: 2–200 characters after trimming and whitespace collapsing, with
    /// no link in it (see [`super::text::without_links`]).
    OrganisationName, OrganisationName::MIN, OrganisationName::MAX, then super::text::without_links
}

impl OrganisationName {
    pub const MIN: usize = 2;
    pub const MAX: usize = 200;

    /// The form two names are compared in to find the same organisation: as a reader sees
    /// them ("SAVE  the children" is "Save the Children"; see [`super::likeness`]).
    pub fn key(&self) -> String {
        super::likeness::reader_key(&self.0)
    }
}

word_enum! {
    /// What kind of organisation endorses.
    OrganisationType, "an organisation type" {
        Ngo => "ngo",
        Network => "network",
        UnAgency => "un_agency",
        Intergovernmental => "intergovernmental",
        Academic => "academic",
        FaithBased => "faith_based",
        Legal => "legal",
        Other => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{check, check_length};

    #[test]
    fn a_name_is_trimmed_and_collapsed() {
        let name = OrganisationName::parse("  Terre des   Hommes ").unwrap();
        assert_eq!(name.as_str(), "Terre des Hommes");
    }

    #[test]
    fn names_differing_in_case_and_spacing_share_a_key() {
        let a = OrganisationName::parse("Save the Children").unwrap();
        let b = OrganisationName::parse(" SAVE  THE children").unwrap();
        assert_eq!(a.key(), b.key());
    }

    #[test]
    fn a_name_must_be_two_to_two_hundred_characters() {
        check_length(OrganisationName::parse, 2, 200);
    }

    #[test]
    fn a_name_with_control_characters_is_refused() {
        check(
            OrganisationName::parse,
            &[("IDC\u{1b}[31m", "control_characters")],
        );
    }

    #[test]
    fn every_organisation_type_of_the_contract_parses_and_nothing_else() {
        for word in [
            "ngo",
            "network",
            "un_agency",
            "intergovernmental",
            "academic",
            "faith_based",
            "legal",
            "other",
        ] {
            assert_eq!(OrganisationType::parse(word).unwrap().as_str(), word);
        }
        assert_eq!(OrganisationType::ALL.len(), 8);
        assert_eq!(
            OrganisationType::parse("NGO").unwrap_err().code,
            "invalid_choice"
        );
        assert!(OrganisationType::parse("company").is_err());
    }
}

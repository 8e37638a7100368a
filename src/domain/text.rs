//! The text rule shared by every free-text field: trimmed, runs of whitespace collapsed to one
//! space, control characters refused, length counted in characters.

use super::Invalid;

/// Cleans `raw` and checks its length (in characters) is within `min..=max`.
pub fn clean(raw: &str, min: usize, max: usize) -> Result<String, Invalid> {
    if let Some(c) = raw.chars().find(|c| c.is_control() && !c.is_whitespace()) {
        return Err(Invalid::new(
            "control_characters",
            format!(
                "must not contain control characters (found U+{:04X})",
                c as u32
            ),
        ));
    }
    let cleaned = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let length = cleaned.chars().count();
    if length < min {
        return Err(if length == 0 {
            Invalid::new("required", "must not be empty")
        } else {
            Invalid::new("too_short", format!("must be at least {min} characters"))
        });
    }
    if length > max {
        return Err(Invalid::new(
            "too_long",
            format!("must be at most {max} characters (got {length})"),
        ));
    }
    Ok(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surrounding_and_repeated_whitespace_is_collapsed() {
        assert_eq!(
            clean("  Save \t the\n\nChildren ", 1, 50).unwrap(),
            "Save the Children"
        );
    }

    #[test]
    fn control_characters_are_refused_even_inside_words() {
        assert_eq!(
            clean("Save\u{0}Children", 1, 50).unwrap_err().code,
            "control_characters"
        );
        assert_eq!(
            clean("bell\u{7}", 1, 50).unwrap_err().code,
            "control_characters"
        );
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert!(clean("ÉÉ", 2, 2).is_ok());
        assert_eq!(clean("ÉÉÉ", 2, 2).unwrap_err().code, "too_long");
    }

    #[test]
    fn blank_text_is_reported_as_missing() {
        assert_eq!(clean("   ", 1, 5).unwrap_err().code, "required");
        assert_eq!(clean("a", 2, 5).unwrap_err().code, "too_short");
    }
}

//! The templates of the pages and e-mails (`templates/`, compiled into the binary), rendered
//! with minijinja. HTML templates escape every value by default; text templates (`.txt`, for
//! the plain part of e-mails) do not.
//!
//! Every word a reader sees comes from the translations (`locales/*/pages.ftl`) through
//! `t("message-id", name=value, …)`, in the language the template context names as `lang`;
//! no sentence is written in a template itself.

use std::sync::LazyLock;

use minijinja::value::Kwargs;
use minijinja::{Environment, Error, ErrorKind, State, Value};

use crate::error::ApiError;
use crate::i18n::{self, Arg, Lang};

/// Each template: its name and its source.
const TEMPLATES: [(&str, &str); 25] = [
    ("base.html", include_str!("../templates/base.html")),
    ("sign.html", include_str!("../templates/sign.html")),
    ("thanks.html", include_str!("../templates/thanks.html")),
    ("message.html", include_str!("../templates/message.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("confirm.html", include_str!("../templates/confirm.html")),
    (
        "embed/list.html",
        include_str!("../templates/embed/list.html"),
    ),
    (
        "console/base.html",
        include_str!("../templates/console/base.html"),
    ),
    (
        "console/macros.html",
        include_str!("../templates/console/macros.html"),
    ),
    (
        "console/sign_in.html",
        include_str!("../templates/console/sign_in.html"),
    ),
    (
        "console/error.html",
        include_str!("../templates/console/error.html"),
    ),
    (
        "console/home.html",
        include_str!("../templates/console/home.html"),
    ),
    (
        "console/queue.html",
        include_str!("../templates/console/queue.html"),
    ),
    (
        "console/record.html",
        include_str!("../templates/console/record.html"),
    ),
    (
        "console/endorsement.html",
        include_str!("../templates/console/endorsement.html"),
    ),
    (
        "console/audit.html",
        include_str!("../templates/console/audit.html"),
    ),
    (
        "console/campaigns.html",
        include_str!("../templates/console/campaigns.html"),
    ),
    (
        "console/campaign.html",
        include_str!("../templates/console/campaign.html"),
    ),
    (
        "console/tokens.html",
        include_str!("../templates/console/tokens.html"),
    ),
    (
        "mail/confirm.txt",
        include_str!("../templates/mail/confirm.txt"),
    ),
    (
        "mail/confirm.html",
        include_str!("../templates/mail/confirm.html"),
    ),
    (
        "mail/approved.txt",
        include_str!("../templates/mail/approved.txt"),
    ),
    (
        "mail/approved.html",
        include_str!("../templates/mail/approved.html"),
    ),
    (
        "mail/notify.txt",
        include_str!("../templates/mail/notify.txt"),
    ),
    (
        "mail/notify.html",
        include_str!("../templates/mail/notify.html"),
    ),
];

static ENVIRONMENT: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    for (name, source) in TEMPLATES {
        if let Err(error) = env.add_template(name, source) {
            // A template that does not parse is a bug the tests catch; the pages that need it
            // answer with an error rather than the server refusing to start.
            tracing::error!(template = name, %error, "a template does not parse");
        }
    }
    env.add_function("t", translate);
    env
});

/// `t("id", name=value, …)`: message `id` in the context's `lang`.
fn translate(state: &State, id: &str, kwargs: Kwargs) -> Result<String, Error> {
    let lang = state
        .lookup("lang")
        .and_then(|lang| lang.as_str().and_then(Lang::parse))
        .unwrap_or(Lang::En);
    if !i18n::has_message(id) {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("no message {id:?}"),
        ));
    }
    let mut args = Vec::new();
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        let arg = match value.as_i64() {
            Some(n) if n >= 0 => Arg::Number(n as u64),
            _ => Arg::Text(value.to_string()),
        };
        args.push((name, arg));
    }
    Ok(i18n::text(lang, id, &args))
}

/// Escapes text for HTML and XML, in element content and in quoted attributes alike.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The snippets a partner copies to show a campaign's count on their site, in `lang`.
pub struct Snippets {
    pub badge: String,
    pub counter: String,
    pub widget: String,
    pub map: String,
    pub list: String,
}

/// The embed snippets for `campaign` (its slug and title) served from `public_url`.
pub fn snippets(public_url: &str, slug: &str, title: &str, lang: Lang) -> Snippets {
    let base = public_url.trim_end_matches('/');
    let code = lang.code();
    let alt = escape(&i18n::message(lang, "counter-title", Some(title)));
    Snippets {
        badge: format!("<img src=\"{base}/embed/{slug}/badge.svg?lang={code}\" alt=\"{alt}\">"),
        counter: format!(
            "<iframe src=\"{base}/embed/{slug}/counter?lang={code}\" title=\"{alt}\" width=\"100%\" height=\"150\" style=\"border:0\"></iframe>"
        ),
        widget: format!(
            "<script src=\"{base}/embed/widget.js\" defer></script>\n<endorsement-counter campaign=\"{slug}\" lang=\"{code}\"></endorsement-counter>"
        ),
        map: format!(
            "<img src=\"{base}/embed/{slug}/map.svg?lang={code}\" alt=\"{alt}\" width=\"1000\" height=\"500\" style=\"max-width:100%;height:auto\">"
        ),
        list: format!(
            "<script src=\"{base}/embed/widget.js\" defer></script>\n<endorsement-list campaign=\"{slug}\" lang=\"{code}\"></endorsement-list>"
        ),
    }
}

/// Renders template `name` with `context`.
pub fn render(name: &str, context: Value) -> Result<String, ApiError> {
    ENVIRONMENT
        .get_template(name)
        .and_then(|template| template.render(context))
        .map_err(|error| ApiError::internal(anyhow::anyhow!("template {name}: {error:#}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn every_template_parses() {
        for (name, source) in TEMPLATES {
            let mut env = Environment::new();
            if let Err(e) = env.add_template(name, source) {
                panic!("{name}: {e:#}");
            }
            assert!(ENVIRONMENT.get_template(name).is_ok(), "{name}");
        }
    }
}

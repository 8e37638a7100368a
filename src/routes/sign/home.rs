//! `/`: what a person who opens the service's address finds, in their language: the campaigns,
//! each with links to its form and its embeds, and the way to the console and the API.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::{failure_page, page, page_context, CampaignView, Surface};
use crate::app::AppState;
use crate::i18n;
use crate::routes::extract::RequestedLang;
use crate::store::campaigns;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home));
}

async fn home(state: web::Data<AppState>, RequestedLang(lang): RequestedLang) -> HttpResponse {
    let listed = state.db.read(campaigns::list).await;
    let rendered = listed.and_then(|rows| {
        let campaigns: Vec<CampaignView> = rows.iter().map(CampaignView::from).collect();
        let title = i18n::text(lang, "home-title", &[]);
        let masthead = CampaignView {
            slug: String::new(),
            title: title.clone(),
            description: Some(i18n::text(lang, "home-intro", &[])),
            url: None,
        };
        let context = minijinja::context! {
            campaigns => campaigns,
            ..page_context(lang, Surface::Hosted, &masthead, "/", title)
        };
        page(StatusCode::OK, Surface::Hosted, "home.html", context)
    });
    rendered.unwrap_or_else(|error| failure_page(error, lang, Surface::Hosted))
}

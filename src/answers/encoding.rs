//! The encodings kept answers are sent in: what a request accepts, and each body's
//! compressed forms, made once.

use actix_web::http::header::{HeaderMap, HeaderValue};
use actix_web::web::Bytes;

/// The encodings a kept answer is sent in, best first.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// What a request's `Accept-Encoding` allows; a coding given `q=0` is refused.
#[derive(Clone, Copy, Debug)]
pub struct AcceptEncoding {
    /// The encoding a kept answer is sent in: `br` (smaller) before `gzip`.
    pub best: Encoding,
    /// Whether the compression middleware will encode for it (any coding it knows, or `*`).
    pub any: bool,
}

impl AcceptEncoding {
    pub fn of(headers: &HeaderMap) -> AcceptEncoding {
        let accept = headers
            .get(actix_web::http::header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let accepted: Vec<String> = accept
            .split(',')
            .filter_map(|item| {
                let mut parts = item.split(';');
                let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
                let refused = parts.any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                (!refused && !coding.is_empty()).then_some(coding)
            })
            .collect();
        let allows = |name: &str| accepted.iter().any(|c| c == name || c == "*");
        AcceptEncoding {
            best: if allows("br") {
                Encoding::Brotli
            } else if allows("gzip") {
                Encoding::Gzip
            } else {
                Encoding::Identity
            },
            any: ["br", "gzip", "deflate", "zstd"].iter().any(|c| allows(c)),
        }
    }
}

/// A body's compressed forms, each made the first time a client accepts it, then kept.
#[derive(Debug, Default)]
pub struct Compressions {
    brotli: std::sync::OnceLock<Bytes>,
    gzip: std::sync::OnceLock<Bytes>,
}

impl Compressions {
    /// `body` as `encoding` makes it, and the `Content-Encoding` to send it with.
    pub fn of(&self, body: &Bytes, encoding: Encoding) -> (Bytes, Option<&'static str>) {
        match encoding {
            Encoding::Brotli => (
                self.brotli.get_or_init(|| compress(encoding, body)).clone(),
                Some("br"),
            ),
            Encoding::Gzip => (
                self.gzip.get_or_init(|| compress(encoding, body)).clone(),
                Some("gzip"),
            ),
            Encoding::Identity => (body.clone(), None),
        }
    }
}

/// Says that a response was sent as `coding`, and that it varies with `Accept-Encoding` (an
/// unencoded one says so in `every_request`), so the compression middleware leaves it alone.
pub fn say_encoded(headers: &mut HeaderMap, coding: Option<&'static str>) {
    if let Some(coding) = coding {
        headers.insert(
            actix_web::http::header::CONTENT_ENCODING,
            HeaderValue::from_static(coding),
        );
        headers.append(
            actix_web::http::header::VARY,
            HeaderValue::from_static("accept-encoding"),
        );
    }
}

/// `body` compressed as `encoding` says.
fn compress(encoding: Encoding, body: &[u8]) -> Bytes {
    use std::io::Write;
    match encoding {
        Encoding::Brotli => {
            let mut out = Vec::with_capacity(body.len() / 3 + 64);
            {
                // Quality 9 of 11: within a few per cent of the smallest, many times faster.
                let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 9, 22);
                writer.write_all(body).expect("writing to memory");
            }
            out.into()
        }
        Encoding::Gzip => {
            let mut writer = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            writer.write_all(body).expect("writing to memory");
            writer.finish().expect("writing to memory").into()
        }
        Encoding::Identity => Bytes::copy_from_slice(body),
    }
}

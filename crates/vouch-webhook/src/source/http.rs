//! A small HTTP/1.1 GET client for the evidence sources: one connection per request, plain
//! `http://` (loopback tests, an in-cluster Grafeas, the metadata server) or `https://` with
//! rustls and the Mozilla roots (`webpki-roots`). The body is limited; the caller's deadline
//! bounds everything.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Empty, Limited};
use hyper::Request;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

/// Where a source is served: scheme, host, port and a path prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `https` or `http`.
    pub tls: bool,
    /// The host name or address.
    pub host: String,
    /// The port.
    pub port: u16,
    /// The path prefix, without a trailing `/` (`""` for none).
    pub prefix: String,
}

impl Endpoint {
    /// Reads `http[s]://HOST[:PORT][/PREFIX]`.
    pub fn parse(text: &str) -> Result<Endpoint, String> {
        let uri: hyper::Uri = text
            .parse()
            .map_err(|e| format!("`{text}` is not a URL: {e}"))?;
        let tls = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err(format!("`{text}` must start with https:// or http://")),
        };
        let host = uri
            .host()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| format!("`{text}` has no host"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        if uri.query().is_some() {
            return Err(format!("`{text}` must not have a query"));
        }
        Ok(Endpoint {
            tls,
            port: uri.port_u16().unwrap_or(if tls { 443 } else { 80 }),
            host,
            prefix: uri.path().trim_end_matches('/').to_owned(),
        })
    }
}

/// An answer: status and body.
#[derive(Debug)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body, at most the limit.
    pub body: Bytes,
}

/// The TLS client configuration: ring, the Mozilla roots, no client certificate.
pub fn tls_config() -> Result<Arc<rustls::ClientConfig>, String> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    // ring without post-quantum key exchange, as the server side (config.rs says why).
    #[allow(deprecated, reason = "ring is the workspace's crypto; see config.rs")]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// `GET path_and_query` with `headers`; the body is read up to `limit` bytes.
pub async fn get(
    endpoint: &Endpoint,
    tls: &Arc<rustls::ClientConfig>,
    path_and_query: &str,
    headers: &[(&str, &str)],
    limit: usize,
) -> Result<Answer, String> {
    let tcp = TcpStream::connect((endpoint.host.as_str(), endpoint.port))
        .await
        .map_err(|e| format!("connecting to {}:{}: {e}", endpoint.host, endpoint.port))?;
    let _ = tcp.set_nodelay(true);
    if endpoint.tls {
        let name = rustls_pki_types::ServerName::try_from(endpoint.host.clone())
            .map_err(|e| format!("`{}` is not a server name: {e}", endpoint.host))?;
        let stream = tokio_rustls::TlsConnector::from(Arc::clone(tls))
            .connect(name, tcp)
            .await
            .map_err(|e| format!("TLS with {}: {e}", endpoint.host))?;
        exchange(stream, endpoint, path_and_query, headers, limit).await
    } else {
        exchange(tcp, endpoint, path_and_query, headers, limit).await
    }
}

async fn exchange<IO>(
    io: IO,
    endpoint: &Endpoint,
    path_and_query: &str,
    headers: &[(&str, &str)],
    limit: usize,
) -> Result<Answer, String>
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| format!("HTTP with {}: {e}", endpoint.host))?;
    // The connection is driven beside the request; it ends when the answer is read.
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let host = if (endpoint.tls && endpoint.port == 443) || (!endpoint.tls && endpoint.port == 80) {
        endpoint.host.clone()
    } else {
        format!("{}:{}", endpoint.host, endpoint.port)
    };
    let mut request = Request::get(format!("{}{path_and_query}", endpoint.prefix))
        .header(hyper::header::HOST, host)
        .header(hyper::header::ACCEPT, "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(Empty::<Bytes>::new())
        .map_err(|e| format!("building the request: {e}"))?;
    let response: hyper::Response<Incoming> = sender
        .send_request(request)
        .await
        .map_err(|e| format!("HTTP with {}: {e}", endpoint.host))?;
    let status = response.status().as_u16();
    let body = Limited::new(response.into_body(), limit)
        .collect()
        .await
        .map_err(|e| {
            if e.is::<http_body_util::LengthLimitError>() {
                format!("the answer is larger than {limit} bytes")
            } else {
                format!("reading the answer (truncated?): {e}")
            }
        })?
        .to_bytes();
    Ok(Answer { status, body })
}

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 2);
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_read() {
        let e = Endpoint::parse("https://containeranalysis.googleapis.com").unwrap();
        assert_eq!((e.tls, e.port, e.prefix.as_str()), (true, 443, ""));
        let e = Endpoint::parse("http://127.0.0.1:8080/grafeas/").unwrap();
        assert_eq!(
            (e.tls, e.host.as_str(), e.port, e.prefix.as_str()),
            (false, "127.0.0.1", 8080, "/grafeas")
        );
        for bad in [
            "ftp://x",
            "containeranalysis.googleapis.com",
            "https://x/?a=b",
            "http://",
        ] {
            assert!(Endpoint::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(
            encode(r#"has_suffix(resourceUrl, "sha256:ab")"#),
            "has_suffix%28resourceUrl%2C%20%22sha256%3Aab%22%29"
        );
    }
}

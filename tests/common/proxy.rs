//! A small HTTP proxy on loopback between palisade and the emulator, for tests: it forwards every request
//! and records its (service, action), or answers AccessDenied for a chosen signing service, the way AWS
//! answers a caller without permission. It reads the service from the SigV4 credential scope, as AWS and
//! the emulator do.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub struct Rules {
    /// Signing services (e.g. `secretsmanager`) answered with AccessDenied.
    pub deny_services: Vec<String>,
    /// Requests whose body contains every one of these strings are answered with AccessDenied (e.g.
    /// `["Action=AssumeRole", "222233334444"]` denies assuming a role in that account).
    pub deny_body_containing: Vec<String>,
}

pub struct Proxy {
    pub port: u16,
    /// (signing service, target/action) of every request seen.
    pub seen: Arc<Mutex<Vec<(String, String)>>>,
}

fn read_head(r: &mut BufReader<TcpStream>) -> Option<(String, Vec<(String, String)>)> {
    let mut first = String::new();
    if r.read_line(&mut first).ok()? == 0 {
        return None;
    }
    let mut headers = Vec::new();
    loop {
        let mut l = String::new();
        if r.read_line(&mut l).ok()? == 0 {
            return None;
        }
        let l = l.trim_end().to_string();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    Some((first, headers))
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> Option<&'a str> {
    h.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn read_body(r: &mut impl BufRead, h: &[(String, String)]) -> Vec<u8> {
    if let Some(n) = header(h, "content-length").and_then(|v| v.parse::<usize>().ok()) {
        let mut b = vec![0; n];
        let _ = r.read_exact(&mut b);
        return b;
    }
    if header(h, "transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        let mut out = Vec::new();
        loop {
            let mut size = String::new();
            if r.read_line(&mut size).unwrap_or(0) == 0 {
                break;
            }
            let n = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)
                .unwrap_or(0);
            let mut chunk = vec![0; n + 2];
            let _ = r.read_exact(&mut chunk);
            if n == 0 {
                break;
            }
            out.extend_from_slice(&chunk[..n]);
        }
        return out;
    }
    Vec::new()
}

fn service_of(h: &[(String, String)]) -> String {
    header(h, "authorization")
        .and_then(|a| a.split("Credential=").nth(1))
        .and_then(|c| c.split('/').nth(3))
        .unwrap_or("")
        .to_string()
}

fn action_of(first: &str, h: &[(String, String)], body: &[u8]) -> String {
    if let Some(t) = header(h, "x-amz-target") {
        return t.rsplit('.').next().unwrap_or(t).to_string();
    }
    // Smithy RPC-v2 CBOR (CloudWatch): POST /service/<service>/operation/<Operation>.
    if let Some(op) = first
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.split_once("/operation/"))
        .map(|(_, op)| op)
    {
        return op.to_string();
    }
    let text = String::from_utf8_lossy(body);
    if let Some(a) = text.split('&').find_map(|kv| kv.strip_prefix("Action=")) {
        return a.to_string();
    }
    first
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

fn denied(service: &str, h: &[(String, String)]) -> Vec<u8> {
    let msg = format!("User: arn:aws:sts::123456789012:assumed-role/palisade/test is not authorized to perform this {service} action");
    let (ctype, body) = if header(h, "x-amz-target").is_some() {
        (
            "application/x-amz-json-1.1",
            format!("{{\"__type\":\"AccessDeniedException\",\"message\":\"{msg}\"}}"),
        )
    } else {
        ("text/xml", format!("<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>{msg}</Message></Error><RequestId>1</RequestId></ErrorResponse>"))
    };
    format!(
        "HTTP/1.1 403 Forbidden\r\nContent-Type: {ctype}\r\nx-amzn-ErrorType: AccessDeniedException\r\nx-amzn-RequestId: 1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn handle(
    client: TcpStream,
    upstream: u16,
    rules: Arc<Rules>,
    seen: Arc<Mutex<Vec<(String, String)>>>,
) {
    let mut reader = BufReader::new(match client.try_clone() {
        Ok(c) => c,
        Err(_) => return,
    });
    let mut client = client;
    let Some((first, headers)) = read_head(&mut reader) else {
        return;
    };
    let body = read_body(&mut reader, &headers);
    let service = service_of(&headers);
    let action = action_of(&first, &headers, &body);
    if let Ok(mut s) = seen.lock() {
        s.push((service.clone(), action));
    }
    let text = String::from_utf8_lossy(&body);
    let body_denied = !rules.deny_body_containing.is_empty()
        && rules
            .deny_body_containing
            .iter()
            .all(|needle| text.contains(needle.as_str()));
    if rules.deny_services.contains(&service) || body_denied {
        let _ = client.write_all(&denied(&service, &headers));
        return;
    }
    let Ok(mut up) = TcpStream::connect(("127.0.0.1", upstream)) else {
        return;
    };
    let mut req = first.into_bytes();
    for (k, v) in &headers {
        if k.eq_ignore_ascii_case("connection")
            || k.eq_ignore_ascii_case("transfer-encoding")
            || k.eq_ignore_ascii_case("content-length")
        {
            continue;
        }
        req.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    req.extend_from_slice(
        format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    req.extend_from_slice(&body);
    if up.write_all(&req).is_err() {
        return;
    }
    // The upstream closes after one response (Connection: close): relay until EOF.
    let mut resp = Vec::new();
    let _ = up.read_to_end(&mut resp);
    let _ = client.write_all(&closing(&resp));
}

/// The response with `Connection: close`: this proxy serves one request per connection, so the client must
/// not keep the connection for another (it would find it closed).
fn closing(resp: &[u8]) -> Vec<u8> {
    let Some(end) = resp.windows(4).position(|w| w == b"\r\n\r\n") else {
        return resp.to_vec();
    };
    let head = String::from_utf8_lossy(&resp[..end]);
    let mut out = String::new();
    for l in head.split("\r\n") {
        if !l.to_ascii_lowercase().starts_with("connection:") {
            out.push_str(l);
            out.push_str("\r\n");
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    let mut v = out.into_bytes();
    v.extend_from_slice(&resp[end + 4..]);
    v
}

/// Starts a proxy in front of `upstream` on a free loopback port.
pub fn start(upstream: u16, rules: Rules) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let rules = Arc::new(rules);
    let s2 = seen.clone();
    std::thread::spawn(move || {
        for c in listener.incoming().flatten() {
            let (rules, seen) = (rules.clone(), s2.clone());
            std::thread::spawn(move || handle(c, upstream, rules, seen));
        }
    });
    Proxy { port, seen }
}

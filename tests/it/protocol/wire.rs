//! A raw PostgreSQL v3 frontend for the protocol tests: message builders, a reader that
//! shows each backend message as a short string (`DataRow(/)`, `ReadyForQuery(T)`), and the
//! client side of SCRAM-SHA-256, written from the RFCs so that the gateway's login is checked
//! against an implementation of its own.

use std::net::SocketAddr;
use std::time::Duration;

use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::gateway::ADMIN_SECRET;

/// How long any one backend message may take to arrive.
const WAIT: Duration = Duration::from_secs(10);

/// GSSENCRequest's code: 1234 in the high 16 bits, 5680 in the low.
pub const GSSENC_REQUEST: i32 = 80_877_104;
/// SSLRequest's code: 1234 and 5679.
pub const SSL_REQUEST: i32 = 80_877_103;

/// One frontend message: tag, then the length of itself and the body, then the body.
fn message(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend_from_slice(&(body.len() as i32 + 4).to_be_bytes());
    out.extend_from_slice(body);
    out
}

/// A NUL-terminated string, as the protocol writes them.
fn cstr(s: &str) -> Vec<u8> {
    let mut out = s.as_bytes().to_vec();
    out.push(0);
    out
}

pub fn parse(statement: &str, sql: &str) -> Vec<u8> {
    let mut body = cstr(statement);
    body.extend(cstr(sql));
    body.extend(0i16.to_be_bytes()); // no parameter types: the server infers them
    message(b'P', &body)
}

/// Bind with text parameters and text results.
pub fn bind(portal: &str, statement: &str, params: &[&str]) -> Vec<u8> {
    let mut body = cstr(portal);
    body.extend(cstr(statement));
    body.extend(0i16.to_be_bytes()); // all parameters in text
    body.extend((params.len() as i16).to_be_bytes());
    for p in params {
        body.extend((p.len() as i32).to_be_bytes());
        body.extend(p.as_bytes());
    }
    body.extend(0i16.to_be_bytes()); // all results in text
    message(b'B', &body)
}

pub fn describe_portal(portal: &str) -> Vec<u8> {
    let mut body = vec![b'P'];
    body.extend(cstr(portal));
    message(b'D', &body)
}

pub fn execute(portal: &str, max_rows: i32) -> Vec<u8> {
    let mut body = cstr(portal);
    body.extend(max_rows.to_be_bytes());
    message(b'E', &body)
}

pub fn sync() -> Vec<u8> {
    message(b'S', &[])
}

pub fn flush() -> Vec<u8> {
    message(b'H', &[])
}

pub fn query(sql: &str) -> Vec<u8> {
    message(b'Q', &cstr(sql))
}

/// An 8-byte request with no tag (SSLRequest, GSSENCRequest).
pub fn request(code: i32) -> Vec<u8> {
    let mut out = 8i32.to_be_bytes().to_vec();
    out.extend(code.to_be_bytes());
    out
}

/// A backend message as a short string: its name, with the parts a test checks.
fn show(tag: u8, body: &[u8]) -> String {
    let strings = |b: &[u8]| -> Vec<String> {
        b.split(|&c| c == 0)
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect()
    };
    match tag {
        b'1' => "ParseComplete".into(),
        b'2' => "BindComplete".into(),
        b'3' => "CloseComplete".into(),
        b'n' => "NoData".into(),
        b's' => "PortalSuspended".into(),
        b'I' => "EmptyQueryResponse".into(),
        b'C' => format!("CommandComplete({})", strings(body)[0]),
        b'Z' => format!("ReadyForQuery({})", body[0] as char),
        b'T' => {
            let count = i16::from_be_bytes([body[0], body[1]]) as usize;
            let mut at = 2;
            let mut names = Vec::new();
            for _ in 0..count {
                let end = at + body[at..].iter().position(|&c| c == 0).expect("name");
                names.push(String::from_utf8_lossy(&body[at..end]).into_owned());
                at = end + 1 + 18; // table oid, column, type oid, size, modifier, format
            }
            format!("RowDescription({})", names.join(","))
        }
        b'D' => {
            let count = i16::from_be_bytes([body[0], body[1]]) as usize;
            let mut at = 2;
            let mut values = Vec::new();
            for _ in 0..count {
                let len = i32::from_be_bytes(body[at..at + 4].try_into().expect("length"));
                at += 4;
                if len < 0 {
                    values.push("NULL".to_string());
                } else {
                    let end = at + len as usize;
                    values.push(String::from_utf8_lossy(&body[at..end]).into_owned());
                    at = end;
                }
            }
            format!("DataRow({})", values.join(","))
        }
        // Fields are a type byte and a string each; show the SQLSTATE (C) and message (M).
        b'E' | b'N' => {
            let fields = strings(body);
            let field = |t: char| {
                fields
                    .iter()
                    .find_map(|f| f.strip_prefix(t))
                    .unwrap_or_default()
                    .to_string()
            };
            let name = if tag == b'E' { "Error" } else { "Notice" };
            format!("{name}({} {})", field('C'), field('M'))
        }
        b'S' => format!("ParameterStatus({})", strings(body)[..2].join("=")),
        b'K' => "BackendKeyData".into(),
        b'R' => format!(
            "Authentication({})",
            i32::from_be_bytes(body[..4].try_into().expect("code"))
        ),
        other => format!("'{}'", other as char),
    }
}

/// A raw protocol connection.
pub struct Wire {
    stream: TcpStream,
}

impl Wire {
    pub async fn connect(addr: SocketAddr) -> Wire {
        let stream = TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Wire { stream }
    }

    /// Writes everything in one write call, as a pipelining client does.
    pub async fn send(&mut self, parts: &[Vec<u8>]) {
        self.stream.write_all(&parts.concat()).await.expect("write");
    }

    pub async fn read_exact(&mut self, n: usize) -> Vec<u8> {
        let mut buf = vec![0; n];
        tokio::time::timeout(WAIT, self.stream.read_exact(&mut buf))
            .await
            .expect("the server answers in time")
            .expect("read");
        buf
    }

    /// The next backend message: its tag and body.
    async fn recv_raw(&mut self) -> (u8, Vec<u8>) {
        let head = self.read_exact(5).await;
        let len = i32::from_be_bytes(head[1..5].try_into().expect("length")) as usize;
        (head[0], self.read_exact(len - 4).await)
    }

    async fn recv(&mut self) -> String {
        let (tag, body) = self.recv_raw().await;
        show(tag, &body)
    }

    /// The next `n` backend messages.
    pub async fn recv_n(&mut self, n: usize) -> Vec<String> {
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.recv().await);
        }
        out
    }

    /// Backend messages up to and including ReadyForQuery, leaving out ParameterStatus.
    pub async fn until_ready(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        loop {
            let m = self.recv().await;
            let done = m.starts_with("ReadyForQuery");
            if !m.starts_with("ParameterStatus") {
                out.push(m);
            }
            if done {
                return out;
            }
        }
    }

    /// StartupMessage for `user` on database `pipegate`, then SCRAM-SHA-256 with `password`,
    /// up to the first ReadyForQuery.
    pub async fn login(&mut self, user: &str, password: &str) {
        let mut body = 196_608i32.to_be_bytes().to_vec(); // protocol 3.0
        for (k, v) in [("user", user), ("database", "pipegate")] {
            body.extend(cstr(k));
            body.extend(cstr(v));
        }
        body.push(0);
        let mut startup = ((body.len() + 4) as i32).to_be_bytes().to_vec();
        startup.extend(body);
        self.send(&[startup]).await;
        scram_sha_256(self, password).await;
        let rest = self.until_ready().await;
        assert_eq!(rest.first().map(String::as_str), Some("BackendKeyData"));
        assert_eq!(rest.last().map(String::as_str), Some("ReadyForQuery(I)"));
    }

    /// A connection to `addr`, logged in as the admin.
    pub async fn admin(addr: SocketAddr) -> Wire {
        let mut wire = Wire::connect(addr).await;
        wire.login("admin", ADMIN_SECRET).await;
        wire
    }
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(data)
        .finalize();
    let outer = Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize();
    outer.into()
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, &b| n << 8 | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(BASE64[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
        out.extend(std::iter::repeat_n('=', 3 - chunk.len()));
    }
    out
}

fn unbase64(text: &str) -> Vec<u8> {
    let sextets: Vec<u32> = text
        .bytes()
        .filter(|&c| c != b'=')
        .map(|c| BASE64.iter().position(|&b| b == c).expect("base64") as u32)
        .collect();
    let mut out = Vec::new();
    for chunk in sextets.chunks(4) {
        let n = chunk.iter().fold(0u32, |n, &s| n << 6 | s) << (6 * (4 - chunk.len()));
        out.extend(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// The client side of SCRAM-SHA-256 (RFC 5802/7677, without channel binding), from the
/// server's AuthenticationSASL to its AuthenticationSASLFinal, checking the server's
/// signature.
async fn scram_sha_256(wire: &mut Wire, password: &str) {
    let (tag, body) = wire.recv_raw().await;
    assert_eq!(show(tag, &body), "Authentication(10)", "AuthenticationSASL");
    assert!(String::from_utf8_lossy(&body[4..]).contains("SCRAM-SHA-256"));

    let nonce = format!("{:032x}", rand::random::<u128>());
    let first_bare = format!("n=,r={nonce}");
    let first = format!("n,,{first_bare}");
    let mut body = cstr("SCRAM-SHA-256");
    body.extend((first.len() as i32).to_be_bytes());
    body.extend(first.as_bytes());
    wire.send(&[message(b'p', &body)]).await;

    let (tag, body) = wire.recv_raw().await;
    assert_eq!(
        show(tag, &body),
        "Authentication(11)",
        "AuthenticationSASLContinue"
    );
    let server_first = String::from_utf8(body[4..].to_vec()).expect("UTF-8");
    let attr = |name: &str| {
        server_first
            .split(',')
            .find_map(|a| a.strip_prefix(name))
            .unwrap_or_else(|| panic!("{name} in {server_first}"))
            .to_string()
    };
    let (server_nonce, salt, iterations) = (attr("r="), unbase64(&attr("s=")), attr("i="));
    assert!(
        server_nonce.starts_with(&nonce),
        "the server extends our nonce"
    );

    // PBKDF2-HMAC-SHA-256 of the password, one block.
    let mut u = hmac(password.as_bytes(), &[salt, vec![0, 0, 0, 1]].concat());
    let mut salted = u;
    for _ in 1..iterations.parse::<u32>().expect("iterations") {
        u = hmac(password.as_bytes(), &u);
        salted.iter_mut().zip(u).for_each(|(s, x)| *s ^= x);
    }
    let client_key = hmac(&salted, b"Client Key");
    let without_proof = format!("c={},r={server_nonce}", base64(b"n,,"));
    let auth_message = format!("{first_bare},{server_first},{without_proof}");
    let signature = hmac(&Sha256::digest(client_key), auth_message.as_bytes());
    let proof: Vec<u8> = client_key
        .iter()
        .zip(signature)
        .map(|(k, s)| k ^ s)
        .collect();
    let last = format!("{without_proof},p={}", base64(&proof));
    wire.send(&[message(b'p', last.as_bytes())]).await;

    let (tag, body) = wire.recv_raw().await;
    assert_eq!(
        show(tag, &body),
        "Authentication(12)",
        "AuthenticationSASLFinal"
    );
    let server_key = hmac(&salted, b"Server Key");
    let verifier = base64(&hmac(&server_key, auth_message.as_bytes()));
    assert_eq!(String::from_utf8_lossy(&body[4..]), format!("v={verifier}"));
    let (tag, body) = wire.recv_raw().await;
    assert_eq!(show(tag, &body), "Authentication(0)", "AuthenticationOk");
}

//! SCRAM-SHA-256 (RFC 5802, RFC 7677) and SCRAM-SHA-256-PLUS with `tls-server-end-point`
//! channel binding (RFC 5929), as PostgreSQL runs them, on the server side.
//!
//! Each token keeps only its salt, StoredKey and ServerKey, derived once at start. The
//! client's proof is checked as the RFC says, `H(proof XOR ClientSignature) == StoredKey`,
//! with a constant-time comparison, so no part of a secret is ever compared byte by byte.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ring::{digest, hmac, pbkdf2};
use subtle::ConstantTimeEq;

/// SASL mechanism names.
pub const SCRAM_SHA_256: &str = "SCRAM-SHA-256";
pub const SCRAM_SHA_256_PLUS: &str = "SCRAM-SHA-256-PLUS";

/// What the server keeps of a password.
#[derive(Debug, Clone)]
pub struct Verifier {
    salt: Vec<u8>,
    iterations: u32,
    stored_key: [u8; 32],
    server_key: [u8; 32],
}

impl Verifier {
    /// Derives the verifier of `password` (PBKDF2 with `iterations` rounds).
    pub fn new(password: &str, salt: Vec<u8>, iterations: u32) -> Verifier {
        let mut salted = [0u8; 32];
        let rounds =
            std::num::NonZeroU32::new(iterations.max(1)).unwrap_or(std::num::NonZeroU32::MIN);
        pbkdf2::derive(
            pbkdf2::PBKDF2_HMAC_SHA256,
            rounds,
            &salt,
            password.as_bytes(),
            &mut salted,
        );
        let client_key = mac(&salted, b"Client Key");
        Verifier {
            salt,
            iterations,
            stored_key: sha256(&client_key),
            server_key: mac(&salted, b"Server Key"),
        }
    }

    /// A verifier no password matches, for unknown users: the exchange costs the same and
    /// fails the same way as a wrong password.
    pub fn impossible(iterations: u32) -> Verifier {
        let mut random = [0u8; 80];
        rand::fill(&mut random[..]);
        Verifier {
            salt: random[..16].to_vec(),
            iterations,
            stored_key: random[16..48].try_into().unwrap_or([0; 32]),
            server_key: random[48..80].try_into().unwrap_or([0; 32]),
        }
    }
}

/// Why an exchange failed.
#[derive(Debug, PartialEq, Eq)]
pub enum ScramError {
    /// A message that does not follow the protocol (08P01).
    Protocol(String),
    /// The proof does not match (28P01).
    WrongPassword,
}

/// The server's side of one exchange, between its first and last message.
#[derive(Debug)]
pub struct Exchange {
    verifier: Verifier,
    /// The gs2 header as the client sent it (`n,,`, `y,,`, `p=tls-server-end-point,,`).
    gs2_header: String,
    client_first_bare: String,
    server_first: String,
    nonce: String,
    binding: Option<Vec<u8>>,
}

impl Exchange {
    /// Reads the client-first message for `mechanism` and answers the server-first one.
    /// `cert_hash` is the TLS certificate's hash when SCRAM-SHA-256-PLUS is offered.
    pub fn start(
        mechanism: &str,
        client_first: &[u8],
        verifier: Verifier,
        cert_hash: Option<&[u8]>,
    ) -> Result<(Exchange, String), ScramError> {
        let text = utf8(client_first)?;
        let (flag, rest) = text
            .split_once(',')
            .ok_or_else(|| bad("the client-first message has no gs2 header"))?;
        let (authzid, bare) = rest
            .split_once(',')
            .ok_or_else(|| bad("the client-first message has no gs2 header"))?;
        if !authzid.is_empty() {
            return Err(bad("an authorization identity is not supported"));
        }
        let binding = match (mechanism, flag) {
            (SCRAM_SHA_256_PLUS, "p=tls-server-end-point") => match cert_hash {
                Some(hash) => Some(hash.to_vec()),
                None => return Err(bad("channel binding is not available")),
            },
            (SCRAM_SHA_256_PLUS, _) => {
                return Err(bad("SCRAM-SHA-256-PLUS needs tls-server-end-point binding"))
            }
            (SCRAM_SHA_256, "n") => None,
            // The client could bind but thinks the server cannot: if the server can, a
            // man in the middle removed the PLUS mechanism (RFC 5802, section 6).
            (SCRAM_SHA_256, "y") if cert_hash.is_none() => None,
            (SCRAM_SHA_256, "y") => {
                return Err(bad(
                    "the client supports channel binding, and so does the server",
                ))
            }
            (SCRAM_SHA_256, _) => return Err(bad("channel binding needs SCRAM-SHA-256-PLUS")),
            (other, _) => return Err(bad(&format!("unknown mechanism {other}"))),
        };
        let client_nonce = attributes(bare)
            .find_map(|(k, v)| (k == "r").then_some(v))
            .filter(|n| !n.is_empty())
            .ok_or_else(|| bad("the client-first message has no nonce"))?;
        if bare.starts_with("m=") {
            return Err(bad("mandatory extensions are not supported"));
        }
        let mut random = [0u8; 18];
        rand::fill(&mut random[..]);
        let nonce = format!("{client_nonce}{}", STANDARD.encode(random));
        let server_first = format!(
            "r={nonce},s={},i={}",
            STANDARD.encode(&verifier.salt),
            verifier.iterations
        );
        let exchange = Exchange {
            verifier,
            gs2_header: format!("{flag},{authzid},"),
            client_first_bare: bare.to_string(),
            server_first: server_first.clone(),
            nonce,
            binding,
        };
        Ok((exchange, server_first))
    }

    /// Checks the client-final message; on success, the server-final message.
    pub fn finish(&self, client_final: &[u8]) -> Result<String, ScramError> {
        let text = utf8(client_final)?;
        let (without_proof, proof) = text
            .rsplit_once(",p=")
            .ok_or_else(|| bad("the client-final message has no proof"))?;
        let mut binding = self.gs2_header.as_bytes().to_vec();
        binding.extend_from_slice(self.binding.as_deref().unwrap_or_default());
        let mut attrs = attributes(without_proof);
        if attrs.next() != Some(("c", STANDARD.encode(&binding).as_str())) {
            return Err(bad("the channel binding does not match"));
        }
        if attrs.next() != Some(("r", self.nonce.as_str())) {
            return Err(bad("the nonce does not match"));
        }
        let proof = STANDARD
            .decode(proof)
            .map_err(|_| bad("the proof is not base64"))?;
        if proof.len() != 32 {
            return Err(ScramError::WrongPassword);
        }
        let auth_message = format!(
            "{},{},{without_proof}",
            self.client_first_bare, self.server_first
        );
        let signature = mac(&self.verifier.stored_key, auth_message.as_bytes());
        let mut client_key = [0u8; 32];
        for (k, (p, s)) in client_key.iter_mut().zip(proof.iter().zip(signature)) {
            *k = p ^ s;
        }
        if !bool::from(sha256(&client_key).ct_eq(&self.verifier.stored_key)) {
            return Err(ScramError::WrongPassword);
        }
        let server_signature = mac(&self.verifier.server_key, auth_message.as_bytes());
        Ok(format!("v={}", STANDARD.encode(server_signature)))
    }
}

/// The hash of a PEM certificate for `tls-server-end-point` (RFC 5929): SHA-256 unless the
/// certificate is signed with SHA-384 or SHA-512. `None` when it cannot be read.
pub fn cert_hash(pem: &[u8]) -> Option<Vec<u8>> {
    use x509_certificate::{CapturedX509Certificate, SignatureAlgorithm};
    let certs = CapturedX509Certificate::from_pem_multiple(pem).ok()?;
    let cert = certs.first()?;
    let algorithm = match cert.signature_algorithm()? {
        SignatureAlgorithm::RsaSha384 | SignatureAlgorithm::EcdsaSha384 => &digest::SHA384,
        SignatureAlgorithm::RsaSha512 => &digest::SHA512,
        _ => &digest::SHA256,
    };
    Some(
        digest::digest(algorithm, cert.constructed_data())
            .as_ref()
            .to_vec(),
    )
}

fn attributes(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.split(',').filter_map(|a| a.split_once('='))
}

fn utf8(bytes: &[u8]) -> Result<&str, ScramError> {
    std::str::from_utf8(bytes).map_err(|_| bad("the message is not UTF-8"))
}

fn bad(why: &str) -> ScramError {
    ScramError::Protocol(why.to_string())
}

fn mac(key: &[u8], message: &[u8]) -> [u8; 32] {
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), message);
    tag.as_ref().try_into().unwrap_or([0; 32])
}

fn sha256(data: &[u8]) -> [u8; 32] {
    digest::digest(&digest::SHA256, data)
        .as_ref()
        .try_into()
        .unwrap_or([0; 32])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The client's side, as RFC 5802 defines it, for the round trip.
    fn client_final(password: &str, bare: &str, server_first: &str, binding: &[u8]) -> String {
        let attrs: Vec<(&str, &str)> = attributes(server_first).collect();
        let salt = STANDARD.decode(attrs[1].1).expect("salt");
        let iterations: u32 = attrs[2].1.parse().expect("i");
        let v = Verifier::new(password, salt, iterations);
        let mut salted = [0u8; 32];
        pbkdf2::derive(
            pbkdf2::PBKDF2_HMAC_SHA256,
            std::num::NonZeroU32::new(iterations).expect("i"),
            &v.salt,
            password.as_bytes(),
            &mut salted,
        );
        let client_key = mac(&salted, b"Client Key");
        let without_proof = format!("c={},r={}", STANDARD.encode(binding), attrs[0].1);
        let auth = format!("{bare},{server_first},{without_proof}");
        let sig = mac(&sha256(&client_key), auth.as_bytes());
        let proof: Vec<u8> = client_key.iter().zip(sig).map(|(k, s)| k ^ s).collect();
        format!("{without_proof},p={}", STANDARD.encode(proof))
    }

    #[test]
    fn the_right_password_passes_and_a_wrong_one_does_not() {
        let verifier = Verifier::new("s3cret", b"saltsaltsaltsalt".to_vec(), 4096);
        let bare = "n=,r=clientnonce";
        for (password, ok) in [("s3cret", true), ("s3cret!", false), ("", false)] {
            let (ex, first) = Exchange::start(
                SCRAM_SHA_256,
                format!("n,,{bare}").as_bytes(),
                verifier.clone(),
                None,
            )
            .expect("first");
            assert!(first.starts_with("r=clientnonce"), "{first}");
            let result = ex.finish(client_final(password, bare, &first, b"n,,").as_bytes());
            assert_eq!(result.is_ok(), ok, "{password:?}: {result:?}");
            if !ok {
                assert_eq!(result, Err(ScramError::WrongPassword));
            }
        }
    }

    #[test]
    fn an_unknown_user_fails_like_a_wrong_password() {
        let bare = "n=,r=abc";
        let (ex, first) = Exchange::start(
            SCRAM_SHA_256,
            b"n,,n=,r=abc",
            Verifier::impossible(4096),
            None,
        )
        .expect("first");
        let result = ex.finish(client_final("anything", bare, &first, b"n,,").as_bytes());
        assert_eq!(result, Err(ScramError::WrongPassword));
    }

    #[test]
    fn channel_binding_is_checked() {
        let verifier = Verifier::new("pw", b"0123456789abcdef".to_vec(), 4096);
        let hash = [7u8; 32];
        // A client that could bind, told by a middleman that the server cannot.
        assert!(matches!(
            Exchange::start(SCRAM_SHA_256, b"y,,n=,r=x", verifier.clone(), Some(&hash)),
            Err(ScramError::Protocol(_))
        ));
        let bare = "n=,r=x";
        let (ex, first) = Exchange::start(
            SCRAM_SHA_256_PLUS,
            b"p=tls-server-end-point,,n=,r=x",
            verifier,
            Some(&hash),
        )
        .expect("first");
        // A binding without the certificate fails before the proof is looked at.
        let unbound = client_final("pw", bare, &first, b"p=tls-server-end-point,,");
        assert!(matches!(
            ex.finish(unbound.as_bytes()),
            Err(ScramError::Protocol(_))
        ));
        let mut binding = b"p=tls-server-end-point,,".to_vec();
        binding.extend_from_slice(&hash);
        let bound = client_final("pw", bare, &first, &binding);
        assert!(ex.finish(bound.as_bytes()).is_ok());
    }

    #[test]
    fn malformed_messages_are_protocol_errors() {
        let v = Verifier::impossible(4096);
        for msg in [&b"garbage"[..], b"n,,", b"n,a=x,n=,r=1", b"\xff,,n=,r=1"] {
            assert!(
                matches!(
                    Exchange::start(SCRAM_SHA_256, msg, v.clone(), None),
                    Err(ScramError::Protocol(_))
                ),
                "{msg:?}"
            );
        }
    }
}

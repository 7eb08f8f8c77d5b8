//! Errors from ClickHouse, classed by fault, with the server's exception code when it sent one.

/// A failed ClickHouse request.
#[derive(Debug, thiserror::Error)]
pub enum ClickHouseError {
    /// The server answered with an exception. `code` is ClickHouse's error code
    /// (`X-ClickHouse-Exception-Code`), which later maps to a SQLSTATE.
    #[error("ClickHouse error {code}: {message}")]
    Server { code: u32, message: String },
    /// The server could not be reached or the connection broke.
    #[error("ClickHouse is unreachable: {0}")]
    Unavailable(String),
    /// The request did not finish in time.
    #[error("ClickHouse request timed out")]
    Timeout,
    /// Anything else the client library reported (decoding, protocol).
    #[error("ClickHouse client error: {0}")]
    Client(String),
}

impl ClickHouseError {
    /// ClickHouse's exception code, when the server sent one.
    pub fn code(&self) -> Option<u32> {
        match self {
            ClickHouseError::Server { code, .. } => Some(*code),
            _ => None,
        }
    }
}

impl From<clickhouse::error::Error> for ClickHouseError {
    fn from(err: clickhouse::error::Error) -> Self {
        use clickhouse::error::Error;
        match err {
            Error::BadResponse(text) => match parse_exception(&text) {
                Some((code, message)) => ClickHouseError::Server { code, message },
                None => ClickHouseError::Client(text),
            },
            Error::Network(e) => ClickHouseError::Unavailable(e.to_string()),
            Error::TimedOut => ClickHouseError::Timeout,
            other => ClickHouseError::Client(other.to_string()),
        }
    }
}

/// Splits `Code: 60. DB::Exception: Table x does not exist. (UNKNOWN_TABLE) (version ...)`
/// into its code and the message after `DB::Exception: `.
pub fn parse_exception(text: &str) -> Option<(u32, String)> {
    let start = text.find("Code: ")?;
    let rest = &text[start + "Code: ".len()..];
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let code = digits.parse().ok()?;
    let message = rest
        .split_once("DB::Exception: ")
        .map(|(_, m)| m)
        .unwrap_or(rest)
        .trim()
        .to_string();
    Some((code, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_server_exception() {
        let (code, msg) = parse_exception(
            "Code: 60. DB::Exception: Unknown table expression identifier 'nope'. (UNKNOWN_TABLE) (version 26.9.2.1)\n",
        )
        .expect("parses");
        assert_eq!(code, 60);
        assert!(msg.starts_with("Unknown table expression identifier 'nope'"));
    }

    #[test]
    fn text_without_a_code_is_not_an_exception() {
        assert_eq!(parse_exception("502 Bad Gateway"), None);
    }
}

//! The framing of one log record: a fixed header, then the payload.
//!
//! ```text
//! len: u32 LE   payload length in bytes
//! crc: u32 LE   CRC-32 (IEEE) of the seq bytes followed by the payload
//! seq: u64 LE   the record's sequence number, one more than the record before it
//! payload
//! ```
//!
//! The CRC covers the sequence number too, so a header whose length field survived a torn
//! write but whose body did not is caught, and so is a record copied to the wrong place.

/// Bytes before the payload.
pub const HEADER_LEN: usize = 16;

/// The largest payload a record may have. A length field above it is damage, not data: no
/// request can produce it (bodies are capped far below).
pub const MAX_PAYLOAD: usize = 1 << 30;

/// Appends one framed record to `out`.
pub fn encode(seq: u64, payload: &[u8], out: &mut Vec<u8>) {
    let mut crc = crc32fast::Hasher::new();
    crc.update(&seq.to_le_bytes());
    crc.update(payload);
    // A payload over MAX_PAYLOAD never reaches here (the log refuses it), so the cast holds.
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc.finalize().to_le_bytes());
    out.extend_from_slice(&seq.to_le_bytes());
    out.extend_from_slice(payload);
}

/// What reading at an offset found.
#[derive(Debug, PartialEq, Eq)]
pub enum Read<'a> {
    /// A whole, intact record, and the offset just past it.
    Record {
        seq: u64,
        payload: &'a [u8],
        next: usize,
    },
    /// Nothing more: the offset is the end of the data.
    End,
    /// The bytes from here on are not a whole, intact record: a torn write or damage.
    Damaged(Damage),
}

/// Why the bytes at an offset are not a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    /// Fewer bytes than a header.
    ShortHeader,
    /// The length field is larger than any record can be.
    BadLength(u32),
    /// The header promises more bytes than there are.
    ShortPayload { want: usize, have: usize },
    /// The checksum does not match.
    Checksum,
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Damage::ShortHeader => f.write_str("a partial record header"),
            Damage::BadLength(n) => write!(f, "an impossible record length {n}"),
            Damage::ShortPayload { want, have } => {
                write!(f, "a record of {want} bytes with only {have} present")
            }
            Damage::Checksum => f.write_str("a record whose checksum does not match"),
        }
    }
}

/// Reads the record at `offset` of `data`.
pub fn read(data: &[u8], offset: usize) -> Read<'_> {
    let Some(rest) = data.get(offset..) else {
        return Read::End;
    };
    if rest.is_empty() {
        return Read::End;
    }
    let Some(header) = rest.get(..HEADER_LEN) else {
        return Read::Damaged(Damage::ShortHeader);
    };
    let word = |at: usize| {
        u32::from_le_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let len = word(0);
    let crc = word(4);
    let mut seq_bytes = [0u8; 8];
    seq_bytes.copy_from_slice(&header[8..16]);
    if len as usize > MAX_PAYLOAD {
        return Read::Damaged(Damage::BadLength(len));
    }
    let len = len as usize;
    let Some(payload) = rest.get(HEADER_LEN..HEADER_LEN + len) else {
        return Read::Damaged(Damage::ShortPayload {
            want: len,
            have: rest.len() - HEADER_LEN,
        });
    };
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&seq_bytes);
    hasher.update(payload);
    if hasher.finalize() != crc {
        return Read::Damaged(Damage::Checksum);
    }
    Read::Record {
        seq: u64::from_le_bytes(seq_bytes),
        payload,
        next: offset + HEADER_LEN + len,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(records: &[(u64, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (seq, p) in records {
            encode(*seq, p, &mut out);
        }
        out
    }

    #[test]
    fn records_round_trip() {
        let data = framed(&[(7, b"hello"), (8, b""), (9, &[0u8; 1000])]);
        let mut at = 0;
        let mut seen = Vec::new();
        loop {
            match read(&data, at) {
                Read::Record { seq, payload, next } => {
                    seen.push((seq, payload.len()));
                    at = next;
                }
                Read::End => break,
                Read::Damaged(d) => panic!("damage {d}"),
            }
        }
        assert_eq!(seen, [(7, 5), (8, 0), (9, 1000)]);
    }

    #[test]
    fn every_torn_tail_is_detected() {
        let data = framed(&[(1, b"first record"), (2, b"second record")]);
        let first_end = HEADER_LEN + b"first record".len();
        for cut in first_end + 1..data.len() {
            let torn = &data[..cut];
            assert!(matches!(read(torn, 0), Read::Record { seq: 1, .. }));
            assert!(
                matches!(read(torn, first_end), Read::Damaged(_)),
                "cut at {cut} must be damage"
            );
        }
        assert_eq!(read(&data[..first_end], first_end), Read::End);
    }

    #[test]
    fn any_flipped_bit_fails_the_checksum() {
        let data = framed(&[(42, b"payload bytes")]);
        for byte in 4..data.len() {
            for bit in 0..8 {
                let mut bad = data.clone();
                bad[byte] ^= 1 << bit;
                assert!(
                    matches!(read(&bad, 0), Read::Damaged(Damage::Checksum)),
                    "flip of bit {bit} in byte {byte}"
                );
            }
        }
    }

    #[test]
    fn impossible_lengths_are_damage() {
        let mut data = framed(&[(1, b"x")]);
        data[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(read(&data, 0), Read::Damaged(Damage::BadLength(u32::MAX)));
        data[..4].copy_from_slice(&100u32.to_le_bytes());
        assert_eq!(
            read(&data, 0),
            Read::Damaged(Damage::ShortPayload { want: 100, have: 1 })
        );
        assert_eq!(read(&data[..3], 0), Read::Damaged(Damage::ShortHeader));
    }
}

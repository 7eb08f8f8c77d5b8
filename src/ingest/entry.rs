//! One accepted request as the log stores it and the flusher sends it: the good rows in
//! RowBinaryWithDefaults, the quarantined rows in RowBinary, and the idempotency key and
//! answer, so a retry after a restart still gets the original answer.
//!
//! ```text
//! version u8 (1) | key [u8; 16] | received_ms u64
//! rows u32 | rows_len u32 | rows bytes
//! quarantined u32 | quarantine_len u32 | quarantine bytes
//! ```
//! All integers little-endian. The entry is one allocation, shared by the log write and the
//! flusher, which sends slices of it without copying.

use bytes::Bytes;

const VERSION: u8 = 1;
const HEADER: usize = 1 + 16 + 8 + 4 + 4;

/// A decoded entry: views into its bytes.
#[derive(Debug, Clone)]
pub struct Entry {
    bytes: Bytes,
    pub key: [u8; 16],
    pub received_ms: u64,
    pub rows: u32,
    pub quarantined: u32,
    rows_at: (usize, usize),
    quarantine_at: (usize, usize),
}

impl Entry {
    /// Reads an entry back from its bytes.
    pub fn decode(bytes: Bytes) -> Result<Entry, String> {
        let b = &bytes[..];
        let bad = || "not an ingestion entry (a newer or older format?)".to_string();
        if b.len() < HEADER || b[0] != VERSION {
            return Err(bad());
        }
        let u32_at = |at: usize| -> Option<u32> {
            Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
        };
        let mut key = [0u8; 16];
        key.copy_from_slice(&b[1..17]);
        let received_ms = u64::from_le_bytes(b[17..25].try_into().map_err(|_| bad())?);
        let rows = u32_at(25).ok_or_else(bad)?;
        let rows_len = u32_at(29).ok_or_else(bad)? as usize;
        let rows_at = (HEADER, HEADER + rows_len);
        let q_head = rows_at.1;
        let quarantined = u32_at(q_head).ok_or_else(bad)?;
        let q_len = u32_at(q_head + 4).ok_or_else(bad)? as usize;
        let quarantine_at = (q_head + 8, q_head + 8 + q_len);
        if quarantine_at.1 != b.len() {
            return Err(bad());
        }
        Ok(Entry {
            key,
            received_ms,
            rows,
            quarantined,
            rows_at,
            quarantine_at,
            bytes,
        })
    }

    /// The whole entry, as the log stores it.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The good rows, RowBinaryWithDefaults.
    pub fn rows_bytes(&self) -> Bytes {
        self.bytes.slice(self.rows_at.0..self.rows_at.1)
    }

    /// The quarantined rows, RowBinary for the quarantine table.
    pub fn quarantine_bytes(&self) -> Bytes {
        self.bytes.slice(self.quarantine_at.0..self.quarantine_at.1)
    }

    /// The size the entry takes in the log and in memory.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0 && self.quarantined == 0
    }
}

/// Builds an entry row by row: good rows go straight into the final buffer.
pub struct EntryBuilder {
    buf: Vec<u8>,
    rows: u32,
    quarantine: Vec<u8>,
    quarantined: u32,
    key_hex: String,
    received_secs: u32,
}

impl EntryBuilder {
    pub fn new(key: [u8; 16], received_ms: u64) -> EntryBuilder {
        let mut buf = Vec::with_capacity(64 * 1024);
        buf.push(VERSION);
        buf.extend_from_slice(&key);
        buf.extend_from_slice(&received_ms.to_le_bytes());
        buf.extend_from_slice(&[0; 8]);
        EntryBuilder {
            buf,
            rows: 0,
            quarantine: Vec::new(),
            quarantined: 0,
            key_hex: key.iter().map(|b| format!("{b:02x}")).collect(),
            received_secs: u32::try_from(received_ms / 1000).unwrap_or(u32::MAX),
        }
    }

    pub fn push_row(&mut self, row: &[u8]) {
        self.buf.extend_from_slice(row);
        self.rows += 1;
    }

    pub fn push_quarantined(&mut self, row: &[u8]) {
        self.quarantine.extend_from_slice(row);
        self.quarantined += 1;
    }

    /// The idempotency key in hex: the quarantine rows' import id.
    pub fn key_hex(&self) -> &str {
        &self.key_hex
    }

    /// When the request arrived, for the quarantine rows' `insertion_date`.
    pub fn received_secs(&self) -> u32 {
        self.received_secs
    }

    pub fn finish(mut self) -> Entry {
        let rows_len = (self.buf.len() - HEADER) as u32;
        self.buf[25..29].copy_from_slice(&self.rows.to_le_bytes());
        self.buf[29..33].copy_from_slice(&rows_len.to_le_bytes());
        self.buf.extend_from_slice(&self.quarantined.to_le_bytes());
        self.buf
            .extend_from_slice(&(self.quarantine.len() as u32).to_le_bytes());
        self.buf.extend_from_slice(&self.quarantine);
        let rows_at = (HEADER, HEADER + rows_len as usize);
        let quarantine_at = (rows_at.1 + 8, self.buf.len());
        let mut key = [0u8; 16];
        key.copy_from_slice(&self.buf[1..17]);
        let received_ms = u64::from_le_bytes(self.buf[17..25].try_into().unwrap_or_default());
        Entry {
            bytes: Bytes::from(self.buf),
            key,
            received_ms,
            rows: self.rows,
            quarantined: self.quarantined,
            rows_at,
            quarantine_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip() {
        let mut b = EntryBuilder::new([7; 16], 1_700_000_000_123);
        b.push_row(b"abc");
        b.push_row(b"de");
        b.push_quarantined(b"QQ");
        let e = b.finish();
        assert_eq!((e.rows, e.quarantined), (2, 1));
        let d = Entry::decode(e.bytes().clone()).expect("decodes");
        assert_eq!(d.key, [7; 16]);
        assert_eq!(d.received_ms, 1_700_000_000_123);
        assert_eq!(&d.rows_bytes()[..], b"abcde");
        assert_eq!(&d.quarantine_bytes()[..], b"QQ");
        assert!(Entry::decode(Bytes::from_static(b"\x02rest")).is_err());
        let mut cut = e.bytes().to_vec();
        cut.pop();
        assert!(Entry::decode(Bytes::from(cut)).is_err());
    }
}

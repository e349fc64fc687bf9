//! Decoding a change received from elsewhere, with bounded cost.
//!
//! Automerge decodes a change without limits: a *compressed* change chunk is inflated
//! whole before anything is checked (a 300 KB push can grow into gigabytes), and the
//! run-length encoding of its columns lets a few bytes declare billions of operations.
//! [`decode_change`] therefore reads the chunk's framing itself first: it refuses any
//! chunk that is not a plain change (compressed, document or bundle chunks), a change
//! over [`MAX_CHANGE_BYTES`], and a change whose columns declare more than
//! [`MAX_CHANGE_OPS`] items, all in time proportional to the bytes received. Only then
//! is the change handed to Automerge.
//!
//! The layout read here is Automerge's binary format: a chunk header (magic bytes,
//! checksum, type, length), then the change header (dependencies, actor, sequence
//! number, start op, time, message, other actors) and the column metadata, then the
//! column data (<https://automerge.org/automerge-binary-format-spec/>).

use automerge::Change;

/// The largest change accepted, in bytes. A record created with every long text at its
/// maximum length (200,000 characters, up to 4 bytes each) stays under it.
pub const MAX_CHANGE_BYTES: usize = 2 * 1024 * 1024;

/// The most items any column of a change may declare: more than the operations of the
/// largest change this product writes (a record created with three long texts at their
/// maximum length, or one such text replaced whole).
pub const MAX_CHANGE_OPS: u64 = 650_000;

use crate::wire::{CHUNK_CHANGE, CHUNK_COMPRESSED, MAGIC};

/// Why a received change was not decoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Not a plain Automerge change (or a damaged one).
    #[error("not an Automerge change: {0}")]
    Malformed(String),
    /// A compressed change chunk: refused before it is inflated.
    #[error("compressed changes are not accepted: send the change uncompressed")]
    Compressed,
    /// Over one of the limits.
    #[error("the change is too large: {0}")]
    TooLarge(String),
}

/// Decodes one change, refusing before any costly work what is not a plain change or
/// is over the limits.
pub fn decode_change(bytes: &[u8]) -> Result<Change, DecodeError> {
    if bytes.len() > MAX_CHANGE_BYTES {
        return Err(DecodeError::TooLarge(format!("{} bytes, at most {MAX_CHANGE_BYTES} are accepted", bytes.len())));
    }
    let body = chunk_body(bytes)?;
    check_columns(body)?;
    Change::try_from(bytes).map_err(|e| DecodeError::Malformed(e.to_string()))
}

/// The data of a change chunk (after its header), checked to fill the bytes exactly.
fn chunk_body(bytes: &[u8]) -> Result<&[u8], DecodeError> {
    let mut r = Reader::new(bytes);
    if r.take(4)? != MAGIC {
        return Err(malformed("it does not start with Automerge's magic bytes"));
    }
    r.take(4)?; // checksum
    match r.byte()? {
        CHUNK_CHANGE => {}
        CHUNK_COMPRESSED => return Err(DecodeError::Compressed),
        other => return Err(malformed(&format!("a chunk of type {other}, not a change"))),
    }
    let len = r.uleb()?;
    if len != r.remaining() as u64 {
        return Err(malformed("the chunk length does not match its bytes"));
    }
    Ok(r.rest())
}

/// Reads the change header and sums the items each column declares.
fn check_columns(body: &[u8]) -> Result<(), DecodeError> {
    let mut r = Reader::new(body);
    let deps = r.uleb()?;
    for _ in 0..deps {
        r.take(32)?;
    }
    r.prefixed()?; // actor
    r.uleb()?; // seq
    r.uleb()?; // start op
    r.sleb()?; // time
    r.prefixed()?; // message
    let others = r.uleb()?;
    for _ in 0..others {
        r.prefixed()?;
    }
    let columns = r.uleb()?;
    let mut specs = Vec::new();
    for _ in 0..columns {
        let spec = r.uleb()?;
        let len = r.uleb()?;
        specs.push((spec, usize::try_from(len).map_err(|_| malformed("a column length overflows"))?));
    }
    for (spec, len) in specs {
        if spec & 0b1000 != 0 {
            return Err(DecodeError::Compressed);
        }
        let column = r.take(len)?;
        let items = column_items(spec & 0b111, column)?;
        if items > MAX_CHANGE_OPS {
            return Err(DecodeError::TooLarge(format!(
                "a column declares {items} operations, at most {MAX_CHANGE_OPS} are accepted"
            )));
        }
    }
    Ok(())
}

/// How many items a column declares, by its type (bounded: stops past the limit).
fn column_items(column_type: u64, data: &[u8]) -> Result<u64, DecodeError> {
    let mut r = Reader::new(data);
    let mut total: u64 = 0;
    let add = |total: &mut u64, n: u64| -> Result<(), DecodeError> {
        *total = total.saturating_add(n);
        if *total > MAX_CHANGE_OPS {
            Err(DecodeError::TooLarge(format!(
                "a column declares more than {MAX_CHANGE_OPS} operations, at most {MAX_CHANGE_OPS} are accepted"
            )))
        } else {
            Ok(())
        }
    };
    match column_type {
        // Raw values: their count comes from the value metadata column.
        7 => Ok(0),
        // Booleans: alternating run lengths.
        4 => {
            while r.remaining() > 0 {
                let run = r.uleb()?;
                add(&mut total, run)?;
            }
            Ok(total)
        }
        // Run-length encoded: group, actor, integer, delta, string, value metadata.
        _ => {
            while r.remaining() > 0 {
                let count = r.sleb()?;
                if count > 0 {
                    add(&mut total, count as u64)?;
                    skip_value(&mut r, column_type)?;
                } else if count < 0 {
                    let literals = count.unsigned_abs();
                    add(&mut total, literals)?;
                    for _ in 0..literals {
                        skip_value(&mut r, column_type)?;
                    }
                } else {
                    let nulls = r.uleb()?;
                    add(&mut total, nulls)?;
                }
            }
            Ok(total)
        }
    }
}

fn skip_value(r: &mut Reader<'_>, column_type: u64) -> Result<(), DecodeError> {
    match column_type {
        3 => r.sleb().map(|_| ()),
        5 => r.prefixed().map(|_| ()),
        _ => r.uleb().map(|_| ()),
    }
}

fn malformed(why: &str) -> DecodeError {
    DecodeError::Malformed(why.to_string())
}

/// A cursor over bytes; every read fails cleanly at the end of the input.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes }
    }

    fn remaining(&self) -> usize {
        self.bytes.len()
    }

    fn rest(self) -> &'a [u8] {
        self.bytes
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.bytes.len() {
            return Err(malformed("it ends too early"));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }

    fn uleb(&mut self) -> Result<u64, DecodeError> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f).checked_shl(shift).unwrap_or(0);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(malformed("a number is too long"))
    }

    fn sleb(&mut self) -> Result<i64, DecodeError> {
        let mut value: i64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= i64::from(byte & 0x7f).checked_shl(shift).unwrap_or(0);
            if byte & 0x80 == 0 {
                if shift + 7 < 64 && byte & 0x40 != 0 {
                    value |= -1i64 << (shift + 7);
                }
                return Ok(value);
            }
        }
        Err(malformed("a number is too long"))
    }

    /// A length-prefixed byte string.
    fn prefixed(&mut self) -> Result<&'a [u8], DecodeError> {
        let len = self.uleb()?;
        self.take(usize::try_from(len).map_err(|_| malformed("a length overflows"))?)
    }
}

#[cfg(test)]
mod tests;

//! Automerge's binary framing, written by hand: what [`crate::decode_change`] reads.
//! For tests and benchmarks that build the changes an attacker would send (a
//! compressed chunk that inflates to gigabytes, a change whose columns declare a
//! billion operations); nothing in the product writes changes this way.

use sha2::Digest;
use std::io::Write;

/// Automerge's magic bytes, at the start of every chunk.
pub const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
/// The chunk types of a change and of a compressed change.
pub const CHUNK_CHANGE: u8 = 1;
pub const CHUNK_COMPRESSED: u8 = 2;

/// A chunk of `chunk_type` around `body`, with a valid checksum.
pub fn chunk(chunk_type: u8, body: &[u8]) -> Vec<u8> {
    let mut header = vec![chunk_type];
    uleb(&mut header, body.len() as u64);
    let hash = sha2::Sha256::new().chain_update(&header).chain_update(body).finalize();
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&hash[..4]);
    out.extend(header);
    out.extend_from_slice(body);
    out
}

/// The body of a change by actor `[7; 16]` whose only column is the action column
/// (an integer column) holding `column`.
pub fn change_body(column: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    uleb(&mut body, 0); // no dependencies
    uleb(&mut body, 16);
    body.extend_from_slice(&[7; 16]); // actor
    uleb(&mut body, 1); // seq
    uleb(&mut body, 1); // start op
    sleb(&mut body, 0); // time
    uleb(&mut body, 0); // message
    uleb(&mut body, 0); // other actors
    uleb(&mut body, 1); // one column
    uleb(&mut body, (4 << 4) | 2); // action, integer
    uleb(&mut body, column.len() as u64);
    body.extend_from_slice(column);
    body
}

/// A change whose action column declares `ops` operations in a handful of bytes: one
/// run-length-encoded run.
pub fn run_length_bomb(ops: i64) -> Vec<u8> {
    let mut column = Vec::new();
    sleb(&mut column, ops);
    uleb(&mut column, 1);
    chunk(CHUNK_CHANGE, &change_body(&column))
}

/// A compressed change chunk whose data inflates to `size` zero bytes: about a
/// thousandth of that on the wire.
pub fn compressed_bomb(size: usize) -> Vec<u8> {
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..size.div_ceil(zeros.len()) {
        encoder.write_all(&zeros).expect("writing to memory");
    }
    chunk(CHUNK_COMPRESSED, &encoder.finish().expect("writing to memory"))
}

/// Unsigned LEB128.
pub fn uleb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Signed LEB128.
pub fn sleb(out: &mut Vec<u8>, mut v: i64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0) {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

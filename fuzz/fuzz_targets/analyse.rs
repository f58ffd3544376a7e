//! Any bytes through the whole `check`: load, map, analyse and every report format. Bytes that
//! start like JSON (`{`, `[` or a byte-order mark) are read as JSON, anything else as CSV.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prmlint::load::InputFormat;

fuzz_target!(|data: &[u8]| {
    let format = match data.first() {
        Some(b'{' | b'[' | 0xEF | 0xFE | 0xFF) => InputFormat::Json,
        _ => InputFormat::Csv,
    };
    prmlint_fuzz::check(data, format);
});

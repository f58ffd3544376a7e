//! Any bytes as a JSON register: decoding, syntax, spans, schema and register checks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prmlint::load::InputFormat;

fuzz_target!(|data: &[u8]| {
    prmlint_fuzz::load(data, InputFormat::Json);
});

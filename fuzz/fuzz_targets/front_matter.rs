//! Front matter splitting and YAML loading, for every collection's fields.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| clusterpress::fuzz::front_matter(data));

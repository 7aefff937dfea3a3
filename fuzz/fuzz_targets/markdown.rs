//! Markdown rendering and sanitising; sanitised output must hold nothing that runs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| clusterpress::fuzz::markdown(data));

//! Integration tests: the real binary on fixture sites. One module per feature; the harness
//! is in `support`. See tests/README.md for adding fixtures and updating expectations.

mod bench_gen;
mod brochures;
mod build;
mod collections;
mod deploy;
mod example_site;
mod hostile;
mod invalid;
mod new;
mod output_safety;
mod security;
mod serve;
mod support;
mod theme;

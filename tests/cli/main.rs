//! Integration tests: the real binary on fixture sites. One module per feature; the harness
//! is in `support`. See tests/README.md for adding fixtures and updating expectations.

mod bench_gen;
mod booking;
mod brochures;
mod build;
mod cms;
mod collections;
mod context;
mod deploy;
mod directory_scale;
mod example_languages;
mod example_site;
mod former;
mod hostile;
mod images;
mod import;
mod instants;
mod invalid;
mod jobs;
mod languages;
mod languages_items;
mod languages_sites;
mod layers;
mod list_scale;
mod map;
mod new;
mod output_safety;
mod previews;
mod schema;
mod search;
mod security;
mod serve;
mod support;
mod theme;
mod vocabulary;
mod wording;

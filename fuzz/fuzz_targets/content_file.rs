//! A whole content file through validation, against the example site.
#![no_main]

use std::sync::LazyLock;

static SITE: LazyLock<clusterpress::model::Site> = LazyLock::new(clusterpress::fuzz::example_site);

libfuzzer_sys::fuzz_target!(|data: &[u8]| clusterpress::fuzz::content_file(&SITE, data));

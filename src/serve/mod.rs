//! `clusterpress serve`: the site built in memory, served on a local port, rebuilt as files
//! change and reloaded in the browser.

pub mod http;
pub mod session;
pub mod store;
pub mod watch;

//! Integration tests: the real `folio` binary on fixture sites.

#[allow(dead_code)]
mod support;

mod blog;
mod build;
mod bundles;
mod errors;
mod highlight;
mod hostile;
mod import;
mod jekyll;
mod large;
mod lenient;
mod liquid;
mod liquid_limits;
mod ports_page;
mod publish;
mod redirects;
mod serve;
mod start;

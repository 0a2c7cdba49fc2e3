//! The commands besides `build`: each drives the pipeline its own way.

pub(crate) mod check;
pub(crate) mod import;
pub(crate) mod init;
pub(crate) mod new;
pub(crate) mod serve;

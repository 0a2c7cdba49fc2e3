//! A page: the head its front matter resolved to and the body its text
//! rendered to, put together once and never changed (`serve` replaces a
//! whole page when its file changes).

use crate::body::Body;
use crate::source::Head;

/// A content file, resolved and rendered.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// Front matter, URL, date and taxonomies.
    pub(crate) head: Head,
    /// The rendered body.
    pub(crate) body: Body,
}

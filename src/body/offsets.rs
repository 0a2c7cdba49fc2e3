//! The way back from a text made out of another (Liquid's output, a body
//! without kramdown's attribute lists) to the text as written, so every
//! message names the place in the `.md` file.

/// `(offset, original offset, copied)` where each run of the made text
/// starts, in order. Inside a copied run offsets move together; inside
/// anything else (what a Liquid tag wrote) they all map to where it was
/// written.
#[derive(Debug, Clone, Default)]
pub(crate) struct OffsetMap(Vec<(usize, usize, bool)>);

impl OffsetMap {
    /// Starts a run at `at` that came from `original`.
    pub(crate) fn push(&mut self, at: usize, original: usize, copied: bool) {
        self.0.push((at, original, copied));
    }

    /// The original offset of `at`.
    pub(crate) fn original(&self, at: usize) -> usize {
        let i = self.0.partition_point(|r| r.0 <= at).saturating_sub(1);
        match self.0.get(i) {
            Some(&(made, original, true)) => original + (at - made),
            Some(&(_, original, false)) => original,
            None => at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copied_runs_move_together_and_others_map_to_their_start() {
        let mut map = OffsetMap::default();
        map.push(0, 0, true);
        map.push(5, 5, false);
        map.push(9, 20, true);
        assert_eq!(map.original(3), 3);
        assert_eq!(map.original(7), 5);
        assert_eq!(map.original(10), 21);
    }
}

//! How deep templates include each other. Tera renders an `include` by
//! recursion, so a long enough chain of includes would overflow the stack
//! and abort the process; folio refuses chains deeper than
//! [`MAX_INCLUDE_DEPTH`] before it renders anything.

use std::collections::HashMap;

/// The longest chain of templates including each other that folio renders.
/// Real sites nest two or three deep.
pub(crate) const MAX_INCLUDE_DEPTH: usize = 32;

/// The names a template includes, as written: `{% include "name" %}`, with
/// Tera's `-` trims and either quote. Text that only looks like a tag (in a
/// comment or raw block) counts too, which can only overestimate.
fn includes(source: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for (i, _) in source.match_indices("{%") {
        let tag = source[i + 2..].trim_start_matches('-').trim_start();
        let Some(rest) = tag.strip_prefix("include") else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(quote) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
        else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            found.push(&rest[1..1 + end]);
        }
    }
    found
}

/// Length of the longest include chain from `name` (1: it includes nothing).
/// Never recurses deeper than the limit: past it, the chain is too deep
/// whatever follows. A loop counts as ending (Tera reports loops itself).
fn depth<'a>(
    name: &'a str,
    graph: &HashMap<&'a str, Vec<&'a str>>,
    memo: &mut HashMap<&'a str, usize>,
    stack: &mut Vec<&'a str>,
) -> usize {
    if let Some(&d) = memo.get(name) {
        return d;
    }
    if stack.contains(&name) || stack.len() > MAX_INCLUDE_DEPTH {
        return 0;
    }
    stack.push(name);
    let below = graph
        .get(name)
        .into_iter()
        .flatten()
        .map(|child| depth(child, graph, memo, stack))
        .max()
        .unwrap_or(0);
    stack.pop();
    memo.insert(name, below + 1);
    below + 1
}

/// The first template (by name) from which includes nest deeper than
/// [`MAX_INCLUDE_DEPTH`], with the start of its chain.
pub(crate) fn too_deep(sources: &[(String, String)]) -> Option<(String, Vec<String>)> {
    let graph: HashMap<&str, Vec<&str>> = sources
        .iter()
        .map(|(name, text)| (name.as_str(), includes(text)))
        .collect();
    let mut names: Vec<&str> = graph.keys().copied().collect();
    names.sort_unstable();
    let mut memo = HashMap::new();
    let deep = names
        .into_iter()
        .find(|name| depth(name, &graph, &mut memo, &mut Vec::new()) > MAX_INCLUDE_DEPTH)?;
    let mut chain = vec![deep.to_string()];
    let mut at = deep;
    while chain.len() < 4 {
        let next = graph
            .get(at)
            .into_iter()
            .flatten()
            .max_by_key(|c| memo.get(*c));
        match next {
            Some(next) => {
                chain.push(next.to_string());
                at = next;
            }
            None => break,
        }
    }
    Some((deep.to_string(), chain))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` templates, each including the next; the last includes nothing.
    fn chain(n: usize) -> Vec<(String, String)> {
        (0..n)
            .map(|i| {
                let text = if i + 1 < n {
                    format!("x{{%- include 't{}.html' -%}}", i + 1)
                } else {
                    "end".to_string()
                };
                (format!("t{i}.html"), text)
            })
            .collect()
    }

    #[test]
    fn finds_include_tags() {
        assert_eq!(
            includes("{% include \"a.html\" %} {%- include 'b.html' ignore missing %} {% if x %}"),
            ["a.html", "b.html"]
        );
    }

    #[test]
    fn allows_chains_up_to_the_limit() {
        assert_eq!(too_deep(&chain(MAX_INCLUDE_DEPTH)), None);
        let (name, shown) = too_deep(&chain(MAX_INCLUDE_DEPTH + 1)).unwrap();
        assert_eq!(name, "t0.html");
        assert_eq!(shown, ["t0.html", "t1.html", "t2.html", "t3.html"]);
    }

    #[test]
    fn loops_and_wide_diamonds_end_quickly() {
        let looped = vec![
            ("a".to_string(), "{% include 'b' %}".to_string()),
            ("b".to_string(), "{% include 'a' %}".to_string()),
        ];
        assert_eq!(too_deep(&looped), None);
        // Each level includes the next twice: 2^30 paths, 30 templates.
        let diamond: Vec<_> = (0..30)
            .map(|i| {
                (
                    format!("{i}"),
                    format!("{{% include '{0}' %}}{{% include '{0}' %}}", i + 1),
                )
            })
            .collect();
        assert_eq!(too_deep(&diamond), None);
    }
}

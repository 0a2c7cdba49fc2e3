//! Reading YAML as Jekyll's parser (Ruby's) does where serde_yaml is
//! stricter: a key given twice keeps its last value, an integer of any
//! size keeps its digits; each a warning at its line.

use super::scalar_text;
use crate::error::Diagnostic;
use serde::de::{DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess};
use std::cell::RefCell;
use std::fmt;
use std::path::Path;

/// What Ruby's YAML parser (Jekyll's) accepts and serde_yaml refuses.
enum Leniency {
    /// A key given twice in one mapping: the last value wins.
    DuplicateKey(String),
    /// An integer too large for 64 bits: kept as its digits.
    BigInteger(String),
}

/// Parses `yaml` as Jekyll's parser would: a key given twice keeps its
/// last value, and an integer too large for a 64-bit number is kept as its
/// digits (text), each with a warning at its line. What no YAML parser
/// reads is still an error.
pub(super) fn read_lenient(
    path: &Path,
    yaml: &str,
    first_line: usize,
) -> Result<(serde_yaml::Value, Vec<Diagnostic>), serde_yaml::Error> {
    let reading = Reading {
        found: RefCell::new(Vec::new()),
        long_integers: long_integers(yaml),
    };
    let value = Lenient(&reading).deserialize(serde_yaml::Deserializer::from_str(yaml))?;
    let warnings = reading
        .found
        .into_inner()
        .into_iter()
        .map(|l| leniency_warning(path, yaml, first_line, &l))
        .collect();
    Ok((value, warnings))
}

/// The warning for one lenient reading, at the last line that writes the
/// key (the value that wins) or at the number.
fn leniency_warning(path: &Path, yaml: &str, first_line: usize, found: &Leniency) -> Diagnostic {
    let (needle, message, help) = match found {
        Leniency::DuplicateKey(key) => (
            key.as_str(),
            format!("`{key}` is given twice in one mapping; the last value is used, as in Jekyll"),
            "remove the earlier one",
        ),
        Leniency::BigInteger(digits) => (
            digits.as_str(),
            format!("{digits} is too large for a number; it is kept as text"),
            "quote it to say it is text",
        ),
    };
    let lines: Vec<&str> = yaml.lines().collect();
    let place = lines.iter().enumerate().rev().find_map(|(i, line)| {
        let col = match found {
            Leniency::DuplicateKey(_) => key_column(line, needle)?,
            Leniency::BigInteger(_) => line.find(needle)? + 1,
        };
        Some((first_line + i, col))
    });
    let (line, col) = place.unwrap_or((first_line, 1));
    Diagnostic::warning(path, line, col, message).with_help(help)
}

/// The column where `line` writes `key:` (bare or quoted, also as a list
/// item's first key), if it does.
fn key_column(line: &str, key: &str) -> Option<usize> {
    let rest = line.trim_start();
    let rest = rest.strip_prefix("- ").map_or(rest, str::trim_start);
    let col = line.len() - rest.len() + 1;
    let quoted = [format!("\"{key}\""), format!("'{key}'"), key.to_string()];
    quoted.iter().find_map(|k| {
        let after = rest.strip_prefix(k.as_str())?.trim_start();
        after.starts_with(':').then_some(col)
    })
}

/// What a lenient reading knows and finds.
struct Reading {
    /// Each lenient reading, in the order met.
    found: RefCell<Vec<Leniency>>,
    /// The text's integers of 20 digits or more: serde_yaml hands those
    /// past 128 bits over as floats, whose digits these give back.
    long_integers: Vec<String>,
}

/// The plain integers of 20 digits or more written in `yaml` (a value
/// alone after `:`, `-`, `[`, `{` or `,`).
fn long_integers(yaml: &str) -> Vec<String> {
    let mut out = Vec::new();
    for token in yaml.split(|c: char| c.is_whitespace() || ",[]{}".contains(c)) {
        let digits = token.strip_prefix(['-', '+']).unwrap_or(token);
        if digits.len() >= 20 && digits.bytes().all(|b| b.is_ascii_digit()) {
            out.push(token.trim_start_matches('+').to_string());
        }
    }
    out
}

/// Builds a `serde_yaml::Value` from the parser's events as Ruby's YAML
/// would: unlike `serde_yaml::Value`'s own reading, it keeps the last of
/// two equal keys and keeps huge integers, noting each.
struct Lenient<'a>(&'a Reading);

impl<'de> DeserializeSeed<'de> for Lenient<'_> {
    type Value = serde_yaml::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Lenient<'_> {
    fn big(&self, digits: String) -> serde_yaml::Value {
        self.0
            .found
            .borrow_mut()
            .push(Leniency::BigInteger(digits.clone()));
        serde_yaml::Value::String(digits)
    }
}

impl<'de> serde::de::Visitor<'de> for Lenient<'_> {
    type Value = serde_yaml::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Number(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Number(n.into()))
    }
    fn visit_i128<E>(self, n: i128) -> Result<Self::Value, E> {
        Ok(i64::try_from(n).map_or_else(|_| self.big(n.to_string()), |n| n.into()))
    }
    fn visit_u128<E>(self, n: u128) -> Result<Self::Value, E> {
        Ok(u64::try_from(n).map_or_else(|_| self.big(n.to_string()), |n| n.into()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
        // An integer past 128 bits comes as a float: its digits are the
        // written integer that reads as this float.
        let written = (n.fract() == 0.0 && n.abs() >= 1e38)
            .then(|| {
                self.0
                    .long_integers
                    .iter()
                    .find(|t| t.parse::<f64>().is_ok_and(|f| f == n))
            })
            .flatten();
        Ok(match written {
            Some(digits) => self.big(digits.clone()),
            None => serde_yaml::Value::Number(n.into()),
        })
    }
    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::String(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::String(s))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Lenient(self.0))? {
            items.push(item);
        }
        Ok(serde_yaml::Value::Sequence(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_yaml::Mapping::new();
        while let Some(key) = map.next_key_seed(Lenient(self.0))? {
            let value = map.next_value_seed(Lenient(self.0))?;
            let name = scalar_text(&key).unwrap_or_default();
            if out.insert(key, value).is_some() {
                self.0.found.borrow_mut().push(Leniency::DuplicateKey(name));
            }
        }
        Ok(serde_yaml::Value::Mapping(out))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        // A tagged value (`!ruby/object x`): the tag is dropped, as folio
        // reads every value untagged.
        let (_tag, variant): (String, _) = data.variant()?;
        variant.newtype_variant_seed(Lenient(self.0))
    }
}

//! YAML front matter: finding the block, and parsing it into a tree that keeps the byte span of
//! every key and value so that findings point at the exact place.

mod split;
mod yaml;

pub use split::{FrontMatterBlock, split_front_matter};
pub use yaml::{Entry, Node, Scalar, ScalarKind, Value, YamlError, parse_yaml, same_value};

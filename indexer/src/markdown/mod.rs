//! The markdown body: headings with their anchors, links, bold labels and code blocks, all with
//! byte offsets into the file.

mod anchor;
mod body;

pub use anchor::{Slugger, normalize_heading, slugify};
pub use body::{Body, CodeBlock, Heading, Label, Link, options as body_options, parse_body};

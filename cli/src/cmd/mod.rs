//! One module per subcommand.

pub mod generate;
pub mod index;
pub mod init;
pub mod lint;
pub mod new;
pub mod rule;
pub mod search;
pub mod serve;
pub mod show;
pub mod stats;
pub mod triage;

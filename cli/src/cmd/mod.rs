//! One module per subcommand.

pub mod generate;
pub mod init;
pub mod lint;
pub mod new;
pub mod rule;

//! Rows of one table staged in memory and written with multi-row `INSERT`s.
//!
//! sqlx runs each statement on its SQLite worker thread and hands the result back to the
//! caller: a cross-thread round trip per statement. One statement per row (about fifty per
//! article) made that hand-off, not SQLite, most of a full index run.

use sqlx::{Sqlite, Transaction};

/// Most `?` parameters in one statement; SQLite's limit is 32,766 since 3.32 (the bundled
/// library is newer).
const MAX_VARIABLES: usize = 30_000;

/// One value of a staged row.
#[derive(Debug, Clone)]
pub enum Cell {
    /// TEXT, or NULL.
    Text(Option<String>),
    /// INTEGER, or NULL.
    Int(Option<i64>),
}

impl From<&str> for Cell {
    fn from(value: &str) -> Cell {
        Cell::Text(Some(value.to_string()))
    }
}

impl From<&String> for Cell {
    fn from(value: &String) -> Cell {
        Cell::Text(Some(value.clone()))
    }
}

impl From<&Option<String>> for Cell {
    fn from(value: &Option<String>) -> Cell {
        Cell::Text(value.clone())
    }
}

impl From<Option<&str>> for Cell {
    fn from(value: Option<&str>) -> Cell {
        Cell::Text(value.map(str::to_string))
    }
}

impl From<i64> for Cell {
    fn from(value: i64) -> Cell {
        Cell::Int(Some(value))
    }
}

impl From<usize> for Cell {
    fn from(value: usize) -> Cell {
        Cell::Int(Some(i64::try_from(value).unwrap_or(i64::MAX)))
    }
}

impl From<Option<i64>> for Cell {
    fn from(value: Option<i64>) -> Cell {
        Cell::Int(value)
    }
}

/// Staged rows of one table.
#[derive(Debug)]
pub struct RowBuffer {
    /// `INSERT INTO table (a, b, c) VALUES `.
    head: String,
    columns: usize,
    cells: Vec<Cell>,
}

impl RowBuffer {
    /// A buffer for `table (columns…)`.
    pub fn new(table: &str, columns: &[&str]) -> RowBuffer {
        RowBuffer {
            head: format!("INSERT INTO {table} ({}) VALUES ", columns.join(", ")),
            columns: columns.len(),
            cells: Vec::new(),
        }
    }

    /// Stages one row; `row` holds one cell per column, in order.
    pub fn push<const N: usize>(&mut self, row: [Cell; N]) {
        debug_assert_eq!(N, self.columns, "{}", self.head);
        self.cells.extend(row);
    }

    /// Rows staged.
    pub fn len(&self) -> usize {
        self.cells.len() / self.columns
    }

    /// Writes every staged row, as few statements as the parameter limit allows.
    pub async fn flush(&mut self, tx: &mut Transaction<'_, Sqlite>) -> Result<(), sqlx::Error> {
        let per_statement = (MAX_VARIABLES / self.columns).max(1) * self.columns;
        let cells = std::mem::take(&mut self.cells);
        for chunk in cells.chunks(per_statement) {
            let rows = chunk.len() / self.columns;
            let row = format!("({})", vec!["?"; self.columns].join(", "));
            let sql = format!("{}{}", self.head, vec![row; rows].join(", "));
            // Built from the constant table and column names of this module and `?` marks only.
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for cell in chunk {
                query = match cell {
                    Cell::Text(value) => query.bind(value.as_deref()),
                    Cell::Int(value) => query.bind(*value),
                };
            }
            query.execute(&mut **tx).await?;
        }
        Ok(())
    }
}

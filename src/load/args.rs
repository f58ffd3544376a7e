//! What the command line says about reading: the registers and their format, how to read
//! tables, the size limits, and the reference data to map onto. The command line (`app::cli`)
//! flattens these into its subcommands; the stages read them as plain data.

use clap::builder::TypedValueParser as _;

use clap::Args;

use crate::load::columns::{ColumnChoice, ColumnMap};
use crate::load::workbook::SheetChoice;
use crate::load::{InputFormat, Limits, TableOptions};

/// Options shared by every command that reads registers.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Register files (JSON, CSV, or .xlsx/.xlsm/.xls/.ods workbooks); `-` reads standard
    /// input.
    #[arg(value_name = "REGISTER", required = true)]
    pub registers: Vec<String>,

    /// Input format; `auto` picks by extension (`.csv`, `.xlsx`, `.ods`, ...) and JSON
    /// otherwise.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,

    #[command(flatten)]
    pub table: TableArgs,

    /// Largest register file accepted, in bytes.
    #[arg(long, default_value_t = crate::load::Limits::default().max_file_size, value_name = "BYTES")]
    pub max_file_size: u64,

    /// Most processes accepted in one register.
    #[arg(long, default_value_t = crate::load::Limits::default().max_processes, value_name = "N")]
    pub max_processes: usize,

    /// Longest string value or key accepted, in characters.
    #[arg(long, default_value_t = crate::load::Limits::default().max_string_length, value_name = "CHARS")]
    pub max_string_length: usize,

    /// Deepest nesting of JSON arrays and objects accepted (at most 127, the parser's own limit).
    #[arg(
        long,
        default_value_t = crate::load::Limits::default().max_depth,
        value_name = "LEVELS",
        value_parser = clap::value_parser!(u8).range(1..=crate::load::MAX_DEPTH_CEILING as i64).map(usize::from),
    )]
    pub max_depth: usize,
}

/// How to read CSV and workbook registers.
#[derive(Debug, Clone, Args, Default)]
pub struct TableArgs {
    /// Workbooks: the sheet to read, by name or 1-based number [default: the first sheet
    /// whose header row has an id and a name column].
    #[arg(long, value_name = "NAME|INDEX")]
    pub sheet: Option<String>,

    /// CSV: the separator (`,` `;` `|` or `tab`) [default: detected from the header row].
    #[arg(long, value_name = "CHAR", value_parser = crate::load::text::parse_delimiter)]
    pub delimiter: Option<u8>,

    /// CSV: the text encoding (utf-8, utf-16le, windows-1252, latin1, ...) [default: UTF-8
    /// or UTF-16 when the file is, else Windows-1252, with a note].
    #[arg(long, value_name = "NAME", value_parser = parse_encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,

    /// Read a register field from a column with another header, such as
    /// `owner=Verantwortlich` (repeatable; wins over `columns` in prmlint.json).
    #[arg(long = "column", value_name = "FIELD=HEADER", value_parser = crate::load::columns::parse_column)]
    pub columns: Vec<(String, String)>,
}

fn parse_encoding(text: &str) -> Result<&'static encoding_rs::Encoding, String> {
    crate::load::text::parse_encoding(text)
}

impl InputArgs {
    /// The size limits the options set.
    pub fn limits(&self) -> Limits {
        Limits {
            max_file_size: self.max_file_size,
            max_processes: self.max_processes,
            max_string_length: self.max_string_length,
            max_depth: self.max_depth,
        }
    }
}

/// Reference data options shared by the commands that map.
#[derive(Debug, Args)]
pub struct ReferenceArgs {
    /// A reference model file to use instead of the embedded ISO/IEC TS 27022 model.
    #[arg(long, value_name = "FILE", global = true)]
    pub model: Option<String>,

    /// An extra crosswalk catalogue (repeatable): an organisation's glossary, a sector framework.
    #[arg(long = "crosswalk", value_name = "FILE", global = true)]
    pub crosswalks: Vec<String>,
}

/// How to read table registers: the command line's options, with the configuration's column
/// mapping (`config`: its `(field, header)` pairs and the file's name) after `--column`.
pub fn table_options(
    args: &TableArgs,
    config: Option<(&[(String, String)], &str)>,
) -> TableOptions {
    let mut pairs: Vec<ColumnChoice> = args
        .columns
        .iter()
        .map(|(field, header)| ColumnChoice {
            field: field.clone(),
            header: header.clone(),
            origin: format!("--column {field}={header}"),
        })
        .collect();
    if let Some((columns, name)) = config {
        for (field, header) in columns {
            if !pairs.iter().any(|p| &p.field == field) {
                pairs.push(ColumnChoice {
                    field: field.clone(),
                    header: header.clone(),
                    origin: format!("`columns` in {name}"),
                });
            }
        }
    }
    TableOptions {
        columns: ColumnMap { pairs },
        sheet: args.sheet.as_deref().map(SheetChoice::parse),
        delimiter: args.delimiter,
        encoding: args.encoding,
        keep_rows: false,
    }
}

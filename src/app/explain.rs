//! `prmlint explain`: find the rule asked for and print it.

use super::{exit, print_stdout};
use crate::app::cli::{ExplainArgs, FindingsFormat};
use crate::diag::rules::Code;
use crate::report::explain;

pub(super) fn explain(args: &ExplainArgs) -> i32 {
    let mut out = Vec::new();
    let written = if args.all {
        match args.format {
            FindingsFormat::Json => explain::write_all_json(&mut out),
            FindingsFormat::Text => explain::write_all_text(&mut out),
        }
    } else {
        let name = args.code.as_deref().unwrap_or_default();
        let Some(code) = explain::find(name) else {
            let codes: Vec<&'static str> = Code::ALL.iter().map(|c| c.as_str()).collect();
            let hint = crate::diag::suggest::closest(name, &codes)
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            eprintln!(
                "prmlint: unknown rule `{}`{hint} (`prmlint explain --all` lists the rules)",
                crate::report::terminal_safe(name)
            );
            return exit::ERROR;
        };
        match args.format {
            FindingsFormat::Json => explain::write_json(&mut out, code),
            FindingsFormat::Text => explain::write_text(&mut out, code),
        }
    };
    if let Err(e) = written {
        eprintln!("prmlint: cannot render: {e}");
        return exit::ERROR;
    }
    print_stdout(&out)
}

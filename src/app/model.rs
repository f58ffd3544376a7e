//! `prmlint model`: the PRM processes, one of them, or the loaded crosswalk catalogues.

use super::{exit, print_fatal, print_stdout};
use crate::app::cli::FindingsFormat;
use crate::report;

pub(super) fn model(args: &crate::app::cli::ModelArgs, color: bool) -> i32 {
    use crate::app::cli::ModelView;
    use report::model_text;
    let sources = crate::load::reference::Sources {
        model: args.reference.model.clone(),
        crosswalks: args.reference.crosswalks.clone(),
    };
    let loaded = crate::load::reference::load(&sources, 0);
    let Some(knowledge) = loaded.knowledge else {
        let mut findings = loaded.findings;
        print_fatal(&mut findings, &loaded.documents, color);
        return exit::ERROR;
    };
    let json = args.format == FindingsFormat::Json;
    let mut out = Vec::new();
    let written = match &args.view {
        None if json => {
            serde_json::to_writer_pretty(&mut out, &knowledge.model).map_err(std::io::Error::other)
        }
        None => model_text::write_table(&mut out, &knowledge),
        Some(ModelView::Show { id }) => {
            let Some(process) = knowledge.model.processes.iter().find(|p| &p.id == id) else {
                return super::unknown_prm(id, &knowledge);
            };
            if json {
                serde_json::to_writer_pretty(&mut out, process).map_err(std::io::Error::other)
            } else {
                model_text::write_process(&mut out, process)
            }
        }
        Some(ModelView::Crosswalks) if json => {
            serde_json::to_writer_pretty(&mut out, &model_text::catalogues(&knowledge))
                .map_err(std::io::Error::other)
        }
        Some(ModelView::Crosswalks) => model_text::write_catalogues(&mut out, &knowledge),
    };
    if json {
        out.push(b'\n');
    }
    if let Err(e) = written {
        eprintln!("prmlint: cannot render: {e}");
        return exit::ERROR;
    }
    print_stdout(&out)
}

//! The ISO/IEC 27001:2022 clause matrix: which register process implements each clause and
//! Annex A control, through which PRM process or control area.

use std::fmt::{self, Write as _};

use super::Page;
use super::markup::Text;
use crate::report::clauses::{self, Kind};

impl Page<'_, '_> {
    pub(super) fn clauses(&self, h: &mut String) -> fmt::Result {
        let rows = clauses::matrix(self.run);
        h.push_str("<section id=\"clauses\" class=\"page\" aria-labelledby=\"clauses-h\">\n<h2 id=\"clauses-h\">ISO/IEC 27001:2022 clauses</h2>\n");
        let (covered, partly, none) = clauses::counts(&rows, Kind::Clause);
        let (c_covered, c_partly, c_none) = clauses::counts(&rows, Kind::Control);
        writeln!(
            h,
            "<p>Each clause 4.1-10.2 and Annex A control that a PRM process or a control area reaches, with the register processes that implement it. \
             <em>Covered</em>: a process covers a PRM process that implements it, or runs a control area that holds it; \
             <em>partly</em>: processes only contribute; <em>none</em>: no process reaches it. \
             Clauses: {covered} covered, {partly} partly, {none} none. Annex A controls: {c_covered} covered, {c_partly} partly, {c_none} none.</p>"
        )?;
        h.push_str("<table class=\"data clauses\">\n<caption>ISO/IEC 27001:2022 clauses and Annex A controls with the processes that implement them</caption>\n\
             <thead><tr><th scope=\"col\">Clause</th><th scope=\"col\">Status</th>\
             <th scope=\"col\">Implemented by (through)</th><th scope=\"col\">No process runs</th></tr></thead>\n");
        for (kind, title) in [
            (Kind::Clause, "Clauses 4-10"),
            (Kind::Control, "Annex A controls"),
        ] {
            writeln!(
                h,
                "<tbody>\n<tr><th scope=\"rowgroup\" colspan=\"4\">{title}</th></tr>"
            )?;
            for row in rows.iter().filter(|r| r.kind == kind) {
                let prefix = if kind == Kind::Control { "A." } else { "" };
                write!(
                    h,
                    "<tr class=\"clause-{0}\"><th scope=\"row\">{prefix}{1}</th><td>{0}</td><td><ul class=\"plain\">",
                    row.status.as_str(),
                    Text(row.reference)
                )?;
                for i in &row.implementers {
                    write!(
                        h,
                        "<li><span class=\"pid\">{}</span> {} ({})</li>",
                        Text(i.process),
                        Text(i.name),
                        Text(&i.how())
                    )?;
                }
                writeln!(h, "</ul></td><td>{}</td></tr>", Text(&row.unrun.join(", ")))?;
            }
            h.push_str("</tbody>\n");
        }
        h.push_str("</table>\n</section>\n");
        Ok(())
    }
}

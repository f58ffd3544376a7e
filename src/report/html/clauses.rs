//! The ISO/IEC 27001:2022 clause matrix: which register process implements each clause and
//! Annex A control, through which PRM process or control area.

use std::fmt::{self, Write as _};

use super::Page;
use super::markup::Text;
use crate::report::clauses::{self, Kind};
use crate::tr;

impl Page<'_, '_> {
    pub(super) fn clauses(&self, h: &mut String) -> fmt::Result {
        let w = self.words();
        let rows = clauses::matrix(self.run);
        writeln!(
            h,
            "<section id=\"clauses\" class=\"page\" aria-labelledby=\"clauses-h\">\n<h2 id=\"clauses-h\">{}</h2>",
            self.t("clauses.heading")
        )?;
        let (covered, partly, none) = clauses::counts(&rows, Kind::Clause);
        let (c_covered, c_partly, c_none) = clauses::counts(&rows, Kind::Control);
        let clause_counts = tr!(
            w,
            "clauses.counts",
            covered = covered,
            partly = partly,
            none = none
        );
        let control_counts = tr!(
            w,
            "clauses.counts",
            covered = c_covered,
            partly = c_partly,
            none = c_none
        );
        let intro = tr!(
            w,
            "html.clauses-intro",
            clauses = clause_counts,
            controls = control_counts
        );
        writeln!(h, "<p>{intro}</p>")?;
        writeln!(
            h,
            "<table class=\"data clauses\">\n<caption>{}</caption>\n\
             <thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
             <th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>",
            self.t("html.clauses-caption"),
            self.t("clauses.clause"),
            self.t("report.status"),
            self.t("html.implemented-through"),
            self.t("clauses.unrun"),
        )?;
        for (kind, title) in [
            (Kind::Clause, self.t("html.clauses-4-10")),
            (Kind::Control, self.t("clauses.controls")),
        ] {
            writeln!(
                h,
                "<tbody>\n<tr><th scope=\"rowgroup\" colspan=\"4\">{title}</th></tr>"
            )?;
            for row in rows.iter().filter(|r| r.kind == kind) {
                let prefix = if kind == Kind::Control { "A." } else { "" };
                write!(
                    h,
                    "<tr class=\"clause-{0}\"><th scope=\"row\">{prefix}{1}</th><td>{2}</td><td><ul class=\"plain\">",
                    row.status.as_str(),
                    Text(row.reference),
                    Text(&row.status.word(w))
                )?;
                for i in &row.implementers {
                    write!(
                        h,
                        "<li><span class=\"pid\">{}</span> {} ({})</li>",
                        Text(i.process),
                        Text(i.name),
                        Text(&i.how(w))
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

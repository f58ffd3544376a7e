//! The coverage map: the PRM processes by category, one tile each.

use std::fmt::{self, Write as _};

use super::Page;
use super::markup::{Text, status_icon, status_label};
use crate::analysis::{Coverage, CoverageStatus};

impl Page<'_, '_> {
    pub(super) fn coverage_map(&self, h: &mut String) -> fmt::Result {
        let k = self.run.knowledge;
        h.push_str("<section id=\"coverage\" class=\"page\" aria-labelledby=\"coverage-h\">\n<h2 id=\"coverage-h\">Coverage map</h2>\n");
        writeln!(
            h,
            "<p>The {} PRM processes by category. Each tile names the register process that covers the PRM process, or the best one to adapt.</p>",
            k.model.processes.len()
        )?;
        for category in &k.model.categories {
            let tiles: Vec<&Coverage> = self
                .run
                .analysis
                .coverage
                .iter()
                .filter(|c| c.category == category.id)
                .collect();
            let f = self
                .run
                .analysis
                .figures
                .categories
                .iter()
                .find(|(id, _)| id == &category.id)
                .map(|(_, f)| f);
            write!(h, "<h3>{}", Text(&category.name))?;
            if let Some(f) = f {
                write!(
                    h,
                    " <span class=\"h-note\">{} of {} covered, {} adaptable, {} missing</span>",
                    f.covered, f.total, f.adaptable, f.missing
                )?;
            }
            h.push_str("</h3>\n<ul class=\"tiles\">\n");
            for coverage in tiles {
                self.tile(h, coverage)?;
            }
            h.push_str("</ul>\n");
        }
        h.push_str("</section>\n");
        Ok(())
    }

    fn tile(&self, h: &mut String, coverage: &Coverage) -> fmt::Result {
        let prm = self.prm(&coverage.prm);
        let status = coverage.status;
        write!(
            h,
            "<li class=\"tile status-{}\" data-prm=\"{}\">\n<p class=\"tile-status\">{}<span>{}</span></p>\n\
             <p class=\"tile-name\">{}</p>\n<p class=\"tile-id\">{}</p>\n",
            status.as_str(),
            Text(&coverage.prm),
            status_icon(status),
            status_label(status),
            Text(prm.map_or(coverage.prm.as_str(), |p| p.short_name.as_str())),
            Text(&coverage.prm),
        )?;
        let clauses = prm.map(|p| p.clauses_label()).unwrap_or_default();
        match coverage.contributions.first() {
            Some(c) => {
                write!(
                    h,
                    "<p class=\"tile-by\"><span class=\"pid\">{}</span> {} <span class=\"rel\">{} · {:.2}</span>",
                    Text(&c.process),
                    Text(self.process_name(&c.process)),
                    c.relationship.as_str(),
                    c.score
                )?;
                if coverage.contributions.len() > 1 {
                    write!(
                        h,
                        " <span class=\"more\">+{} more</span>",
                        coverage.contributions.len() - 1
                    )?;
                }
                h.push_str("</p>\n");
            }
            None if clauses.is_empty() => h.push_str("<p class=\"tile-by\">No process</p>\n"),
            None => writeln!(
                h,
                "<p class=\"tile-by\">No process for ISO/IEC 27001:2022 {}</p>",
                Text(&clauses)
            )?,
        }
        h.push_str("<details>\n<summary>Details</summary>\n<div class=\"details-body\">\n");
        if let Some(p) = prm {
            writeln!(
                h,
                "<p class=\"purpose\"><span class=\"label\">Purpose:</span> {}</p>",
                Text(&p.purpose)
            )?;
            if !clauses.is_empty() {
                writeln!(
                    h,
                    "<p><span class=\"label\">ISO/IEC 27001:2022:</span> {}</p>",
                    Text(&clauses)
                )?;
            }
        }
        if !coverage.contributions.is_empty() {
            let what = if status == CoverageStatus::Covered {
                "Covered by"
            } else {
                "Candidates to adapt"
            };
            writeln!(h, "<p class=\"label\">{what}:</p>\n<ul>")?;
            for c in &coverage.contributions {
                write!(
                    h,
                    "<li><span class=\"pid\">{}</span> {} ({}, {:.2})",
                    Text(&c.process),
                    Text(self.process_name(&c.process)),
                    c.relationship.as_str(),
                    c.score
                )?;
                if !c.missing_activities.is_empty() {
                    h.push_str("; activities not yet evidenced:\n<ul class=\"activities\">\n");
                    for a in &c.missing_activities {
                        writeln!(
                            h,
                            "<li>{}</li>",
                            Text(self.activity_text(a).unwrap_or(a.as_str()))
                        )?;
                    }
                    h.push_str("</ul>\n");
                }
                h.push_str("</li>\n");
            }
            h.push_str("</ul>\n");
        }
        for (label, ids) in [
            ("Not counted, draft or retired", &coverage.inactive),
            ("Not counted, umbrella processes", &coverage.umbrellas),
        ] {
            if !ids.is_empty() {
                writeln!(
                    h,
                    "<p><span class=\"label\">{label}:</span> {}</p>",
                    Text(&ids.join(", "))
                )?;
            }
        }
        h.push_str("</div>\n</details>\n</li>\n");
        Ok(())
    }
}

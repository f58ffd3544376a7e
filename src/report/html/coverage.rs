//! The coverage map: the PRM processes by category, one tile each.

use std::fmt::{self, Write as _};

use super::Page;
use super::markup::{Text, status_icon, status_label};
use crate::analysis::{Coverage, CoverageStatus};
use crate::tr;

impl Page<'_, '_> {
    pub(super) fn coverage_map(&self, h: &mut String) -> fmt::Result {
        let k = self.run.knowledge;
        let w = self.words();
        writeln!(
            h,
            "<section id=\"coverage\" class=\"page\" aria-labelledby=\"coverage-h\">\n<h2 id=\"coverage-h\">{}</h2>",
            self.t("html.coverage-map")
        )?;
        let intro = tr!(w, "html.coverage-intro", n = k.model.processes.len());
        writeln!(h, "<p>{}</p>", Text(&intro))?;
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
                let note = crate::report::figures_text(w, "html.category-note", "", f);
                write!(h, " <span class=\"h-note\">{}</span>", Text(&note))?;
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

    /// One PRM process's tile: status, name, what covers it, and details to unfold.
    fn tile(&self, h: &mut String, coverage: &Coverage) -> fmt::Result {
        let prm = self.prm(&coverage.prm);
        let status = coverage.status;
        let w = self.words();
        write!(
            h,
            "<li class=\"tile status-{}\" data-prm=\"{}\">\n<p class=\"tile-status\">{}<span>{}</span></p>\n\
             <p class=\"tile-name\">{}</p>\n<p class=\"tile-id\">{}</p>\n",
            status.as_str(),
            Text(&coverage.prm),
            status_icon(status),
            status_label(status, w),
            Text(prm.map_or(coverage.prm.as_str(), |p| p.short_name.as_str())),
            Text(&coverage.prm),
        )?;
        let clauses = prm.map(|p| w.clauses_label(p)).unwrap_or_default();
        self.tile_by(h, coverage, &clauses)?;
        writeln!(
            h,
            "<details>\n<summary>{}</summary>\n<div class=\"details-body\">",
            self.t("html.details")
        )?;
        if let Some(p) = prm {
            writeln!(
                h,
                "<p class=\"purpose\"><span class=\"label\">{}:</span> {}</p>",
                self.t("html.purpose"),
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
        self.tile_contributions(h, coverage)?;
        for (label, ids) in [
            ("html.not-counted-inactive", &coverage.inactive),
            ("html.not-counted-umbrellas", &coverage.umbrellas),
        ] {
            if !ids.is_empty() {
                writeln!(
                    h,
                    "<p><span class=\"label\">{}:</span> {}</p>",
                    self.t(label),
                    Text(&ids.join(", "))
                )?;
            }
        }
        h.push_str("</div>\n</details>\n</li>\n");
        Ok(())
    }

    /// The tile's best process (and how many more), or the clauses left without one.
    fn tile_by(&self, h: &mut String, coverage: &Coverage, clauses: &str) -> fmt::Result {
        let w = self.words();
        match coverage.contributions.first() {
            Some(c) => {
                write!(
                    h,
                    "<p class=\"tile-by\"><span class=\"pid\">{}</span> {} <span class=\"rel\">{} · {}</span>",
                    Text(&c.process),
                    Text(self.process_name(&c.process)),
                    c.relationship.as_str(),
                    w.number(c.score, 2)
                )?;
                if coverage.contributions.len() > 1 {
                    let more = tr!(w, "html.more", n = coverage.contributions.len() - 1);
                    write!(h, " <span class=\"more\">{}</span>", Text(&more))?;
                }
                h.push_str("</p>\n");
            }
            None if clauses.is_empty() => {
                writeln!(h, "<p class=\"tile-by\">{}</p>", self.t("html.no-process"))?;
            }
            None => {
                let none = tr!(w, "html.no-process-for", clauses = clauses);
                writeln!(h, "<p class=\"tile-by\">{}</p>", Text(&none))?;
            }
        }
        Ok(())
    }

    /// Every process behind the PRM process, with the activities it shows no evidence of.
    fn tile_contributions(&self, h: &mut String, coverage: &Coverage) -> fmt::Result {
        if coverage.contributions.is_empty() {
            return Ok(());
        }
        let w = self.words();
        let what = if coverage.status == CoverageStatus::Covered {
            self.t("html.covered-by")
        } else {
            self.t("html.candidates")
        };
        writeln!(h, "<p class=\"label\">{what}:</p>\n<ul>")?;
        for c in &coverage.contributions {
            write!(
                h,
                "<li><span class=\"pid\">{}</span> {} ({}, {})",
                Text(&c.process),
                Text(self.process_name(&c.process)),
                c.relationship.as_str(),
                w.number(c.score, 2)
            )?;
            if !c.missing_activities.is_empty() {
                writeln!(
                    h,
                    "; {}:\n<ul class=\"activities\">",
                    self.t("html.not-evidenced")
                )?;
                self.activity_items(h, &c.missing_activities, "\n")?;
                h.push_str("</ul>\n");
            }
            h.push_str("</li>\n");
        }
        h.push_str("</ul>\n");
        Ok(())
    }
}

//! The `check --format html` report: one self-contained page (inline CSS, no script, nothing
//! fetched) that a consultant can hand to a client or attach to an email. It follows the text
//! report: register metadata, figures, a coverage map of the PRM, findings by kind with advice,
//! the control-area processes and the mapping table.
//!
//! Register text is untrusted: every piece of it goes through [`markup::Text`] or
//! [`markup::Prose`], which escape `& < > " '`. A Content-Security-Policy that forbids scripts
//! and every fetch backs this up, should an escape ever be missed.

mod clauses;
mod coverage;
mod findings;
mod markup;
mod tables;

use std::collections::HashMap;
use std::fmt::{self, Write as _};

use self::markup::{Text, status_icon};
use super::check_json::CheckRun;
use crate::analysis::{CategoryFigures, CoverageStatus};
use crate::model::PrmProcess;
use crate::register::Process;
use crate::report::owners::GroupBy;

const STYLE: &str = include_str!("html/style.css");

/// Write the report. `date` (already validated as `YYYY-MM-DD`) is shown when given; nothing
/// else in the page depends on when it was made, so the same input gives the same bytes.
pub fn write(
    out: &mut dyn std::io::Write,
    run: &CheckRun<'_>,
    date: Option<&str>,
    group_by: GroupBy,
) -> std::io::Result<()> {
    let mut html = String::with_capacity(128 * 1024);
    Page::new(run, date, group_by)
        .render(&mut html)
        .map_err(|_| std::io::Error::other("formatting failed"))?;
    out.write_all(html.as_bytes())
}

fn percent(ratio: f64) -> String {
    format!("{:.0}%", ratio * 100.0)
}

/// Everything the page needs, looked up once.
struct Page<'r, 'a> {
    run: &'r CheckRun<'a>,
    date: Option<&'r str>,
    group_by: GroupBy,
    /// Register processes by id (the first one wins when ids repeat).
    processes: HashMap<&'a str, &'a Process>,
}

impl<'r, 'a> Page<'r, 'a> {
    fn new(run: &'r CheckRun<'a>, date: Option<&'r str>, group_by: GroupBy) -> Self {
        let mut processes = HashMap::new();
        for process in run.documents.iter().flat_map(|d| &d.register.processes) {
            processes.entry(process.id.as_str()).or_insert(process);
        }
        Page {
            run,
            date,
            group_by,
            processes,
        }
    }

    fn prm(&self, id: &str) -> Option<&'a PrmProcess> {
        self.run
            .knowledge
            .model
            .processes
            .iter()
            .find(|p| p.id == id)
    }

    fn prm_name(&self, id: &str) -> &'a str {
        self.prm(id).map_or("", |p| p.short_name.as_str())
    }

    fn process_name(&self, id: &str) -> &'a str {
        self.processes.get(id).map_or("", |p| p.name.as_str())
    }

    /// The text of a PRM activity from its id (`prm-id/activity`).
    fn activity_text(&self, id: &str) -> Option<&'a str> {
        self.run.knowledge.model.activity_text(id)
    }

    /// The organisation when every register names the same one.
    fn organisation(&self) -> Option<&'a str> {
        let mut names = self
            .run
            .documents
            .iter()
            .map(|d| d.register.metadata.organisation.as_deref());
        let first = names.next()??;
        (!first.trim().is_empty() && names.all(|n| n == Some(first))).then_some(first)
    }

    fn render(&self, h: &mut String) -> fmt::Result {
        let title = match self.organisation() {
            Some(org) => format!("ISMS process gap assessment: {}", Text(org)),
            None => "ISMS process gap assessment".to_owned(),
        };
        write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"color-scheme\" content=\"light\">\n\
             <meta name=\"generator\" content=\"prmlint {}\">\n\
             <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
            env!("CARGO_PKG_VERSION"),
        )?;
        self.header(h)?;
        h.push_str("<main id=\"content\">\n");
        self.summary(h)?;
        self.how_to_read(h)?;
        self.coverage_map(h)?;
        self.findings(h)?;
        self.control_areas(h)?;
        self.clauses(h)?;
        self.mapping_table(h)?;
        h.push_str("</main>\n");
        self.footer(h)?;
        h.push_str("</body>\n</html>\n");
        Ok(())
    }

    fn header(&self, h: &mut String) -> fmt::Result {
        let k = self.run.knowledge;
        h.push_str("<header class=\"report-header\">\n<p class=\"eyebrow\">ISMS process gap assessment</p>\n");
        match self.organisation() {
            Some(org) => writeln!(h, "<h1>{}</h1>", Text(org))?,
            None => h.push_str("<h1>Process register gap assessment</h1>\n"),
        }
        writeln!(
            h,
            "<p class=\"subtitle\">The process register mapped onto the process reference model of {}</p>",
            Text(&k.model.title)
        )?;
        for document in self.run.documents {
            let m = &document.register.metadata;
            h.push_str("<dl class=\"meta\">\n");
            let rows = [
                ("Organisation", m.organisation.as_deref()),
                ("Register version", m.version.as_deref()),
                ("Source", m.source.as_deref()),
                ("Exported", m.exported.as_deref()),
                ("File", Some(document.source.name.as_str())),
            ];
            for (term, value) in rows {
                if let Some(value) = value {
                    writeln!(h, "<div><dt>{term}</dt><dd>{}</dd></div>", Text(value))?;
                }
            }
            writeln!(
                h,
                "<div><dt>Processes</dt><dd>{}</dd></div>",
                document.register.entries
            )?;
            h.push_str("</dl>\n");
        }
        h.push_str("<dl class=\"meta-report\">\n");
        writeln!(
            h,
            "<div><dt>Reference model</dt><dd>{} ({})</dd></div>",
            Text(&k.model.title),
            Text(&k.model.edition)
        )?;
        if let Some(date) = self.date {
            writeln!(
                h,
                "<div><dt>Report date</dt><dd><time datetime=\"{0}\">{0}</time></dd></div>",
                Text(date)
            )?;
        }
        h.push_str("</dl>\n<nav aria-label=\"Contents\" class=\"toc\">\n<ol>\n");
        for (id, name) in [
            ("summary", "Summary"),
            ("reading", "How to read this report"),
            ("coverage", "Coverage map"),
            ("findings", "Findings and advice"),
            ("control-areas", "Control-area processes"),
            ("clauses", "ISO/IEC 27001 clauses"),
            ("mapping", "Mapping table"),
        ] {
            writeln!(h, "<li><a href=\"#{id}\">{name}</a></li>")?;
        }
        h.push_str("</ol>\n</nav>\n</header>\n");
        Ok(())
    }

    fn summary(&self, h: &mut String) -> fmt::Result {
        let k = self.run.knowledge;
        let figures = &self.run.analysis.figures;
        let o = &figures.overall;
        h.push_str("<section id=\"summary\" aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">Summary</h2>\n<ul class=\"kpis\">\n");
        writeln!(
            h,
            "<li class=\"kpi\"><span class=\"kpi-value\">{}</span><span class=\"kpi-label\">covered</span><span class=\"kpi-note\">{} of {} PRM processes</span></li>",
            percent(o.covered_ratio),
            o.covered,
            o.total
        )?;
        writeln!(
            h,
            "<li class=\"kpi\"><span class=\"kpi-value\">{}</span><span class=\"kpi-label\">weighted coverage</span><span class=\"kpi-note\">each adaptable process counts as half</span></li>",
            percent(o.weighted_ratio)
        )?;
        writeln!(
            h,
            "<li class=\"kpi kpi-adaptable\"><span class=\"kpi-value\">{}</span><span class=\"kpi-label\">adaptable</span><span class=\"kpi-note\">existing processes to extend</span></li>",
            o.adaptable
        )?;
        writeln!(
            h,
            "<li class=\"kpi kpi-missing\"><span class=\"kpi-value\">{}</span><span class=\"kpi-label\">missing</span><span class=\"kpi-note\">no process and no candidate</span></li>",
            o.missing
        )?;
        h.push_str("</ul>\n");
        let counts = super::json::SeverityCounts::of(self.run.findings);
        writeln!(
            h,
            "<p class=\"lead\">{} register processes checked against the {} PRM processes. Findings: <strong>{} error(s)</strong>, <strong>{} warning(s)</strong> and {} note(s).</p>",
            self.run
                .documents
                .iter()
                .map(|d| d.register.entries)
                .sum::<usize>(),
            k.model.processes.len(),
            counts.error,
            counts.warning,
            counts.note
        )?;
        h.push_str(
            "<table class=\"figures\">\n<caption>Coverage by PRM category. The weighted figure counts each adaptable process as half covered.</caption>\n<thead><tr>\
             <th scope=\"col\">Category</th><th scope=\"col\" class=\"num\">PRM processes</th>\
             <th scope=\"col\" class=\"num\">Covered</th><th scope=\"col\" class=\"num\">Adaptable</th>\
             <th scope=\"col\" class=\"num\">Missing</th><th scope=\"col\" class=\"num\">Covered %</th>\
             <th scope=\"col\" class=\"num\">Weighted %</th><th scope=\"col\">Distribution</th></tr></thead>\n<tbody>\n",
        );
        for (category, f) in &figures.categories {
            let name = k
                .model
                .categories
                .iter()
                .find(|c| &c.id == category)
                .map_or(category.as_str(), |c| c.name.as_str());
            figures_row(h, &Text(name).to_string(), f)?;
        }
        h.push_str("</tbody>\n<tfoot>\n");
        figures_row(h, "All PRM processes", o)?;
        h.push_str("</tfoot>\n</table>\n</section>\n");
        Ok(())
    }

    fn how_to_read(&self, h: &mut String) -> fmt::Result {
        write!(
            h,
            "<section id=\"reading\" class=\"reading\" aria-labelledby=\"reading-h\">\n<h2 id=\"reading-h\">How to read this report</h2>\n\
             <p>prmlint compares each process of the register with the {n} processes of the ISO/IEC TS 27022 process reference model (PRM) \
             and marks every PRM process with one of three statuses. Colour, icon, label and border style each carry the status, \
             so the report also reads in black and white.</p>\n<ul class=\"legend\">\n\
             <li class=\"legend-item status-covered\">{c}<span><strong>Covered</strong>: an active process is equal to the PRM process or a superset of it.</span></li>\n\
             <li class=\"legend-item status-adaptable\">{a}<span><strong>Adaptable</strong>: an active process overlaps it (subset or intersects) and can be extended instead of creating a new one. The weighted figure counts it as half covered.</span></li>\n\
             <li class=\"legend-item status-missing\">{m}<span><strong>Missing</strong>: nothing covers it or could be adapted; the ISO/IEC 27001:2022 clauses it implements have no owner.</span></li>\n</ul>\n\
             <p>Relationships read \"register process <em>is</em> … PRM process\" (NIST IR 8477): <em>equal</em>, <em>superset</em> (does more), \
             <em>subset</em> (does part of it) or <em>intersects</em> (overlaps). Scores from 0 to 1 express the confidence of a mapping; \
             the evidence column says what it rests on. Draft, retired and umbrella processes do not count as coverage. \
             Findings are errors (gaps an auditor will raise), warnings (weaknesses) or notes (advice). \
             Sections marked “Details” open with one click and are printed in full.</p>\n</section>\n",
            n = self.run.knowledge.model.processes.len(),
            c = status_icon(CoverageStatus::Covered),
            a = status_icon(CoverageStatus::Adaptable),
            m = status_icon(CoverageStatus::Missing),
        )
    }

    fn footer(&self, h: &mut String) -> fmt::Result {
        write!(
            h,
            "<footer class=\"report-footer\">\n<p>Generated by prmlint {} from the register as exported, against {}.",
            env!("CARGO_PKG_VERSION"),
            Text(&self.run.knowledge.model.title)
        )?;
        if let Some(date) = self.date {
            write!(h, " Report date {}.", Text(date))?;
        }
        h.push_str(" An automated gap analysis supports, and does not replace, the judgement of an auditor.</p>\n</footer>\n");
        Ok(())
    }
}

/// One row of the figures table; `name` is already escaped.
fn figures_row(h: &mut String, name: &str, f: &CategoryFigures) -> fmt::Result {
    let share = |n: usize| {
        if f.total == 0 {
            0.0
        } else {
            n as f64 * 100.0 / f.total as f64
        }
    };
    writeln!(
        h,
        "<tr><th scope=\"row\">{name}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
         <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
         <td><span class=\"bar\" aria-hidden=\"true\"><span class=\"seg status-covered\" style=\"width:{:.1}%\"></span>\
         <span class=\"seg status-adaptable\" style=\"width:{:.1}%\"></span><span class=\"seg status-missing\" style=\"width:{:.1}%\"></span></span></td></tr>",
        f.total,
        f.covered,
        f.adaptable,
        f.missing,
        percent(f.covered_ratio),
        percent(f.weighted_ratio),
        share(f.covered),
        share(f.adaptable),
        share(f.missing),
    )
}

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
use super::run::CheckRun;
use crate::analysis::{CategoryFigures, CoverageStatus};
use crate::i18n::{Translator, counted};
use crate::model::PrmProcess;
use crate::report::owners::GroupBy;
use crate::source::register::Process;
use crate::tr;

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

    /// A catalogue text without arguments, escaped for the page.
    fn t(&self, key: &'static str) -> String {
        Text(&self.run.words.word(key)).to_string()
    }

    fn words(&self) -> &'a Translator {
        self.run.words
    }

    fn prm(&self, id: &str) -> Option<&'a PrmProcess> {
        self.run.prm(id)
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

    /// A list item for each PRM activity (by id), each followed by `end`.
    fn activity_items(&self, h: &mut String, ids: &[String], end: &str) -> fmt::Result {
        for a in ids {
            write!(
                h,
                "<li>{}</li>{end}",
                Text(self.activity_text(a).unwrap_or(a.as_str()))
            )?;
        }
        Ok(())
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
        let w = self.words();
        let title = match self.organisation() {
            Some(org) => tr!(w, "html.title-of", organisation = Text(org).to_string()),
            None => self.t("html.title"),
        };
        write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"color-scheme\" content=\"light\">\n\
             <meta name=\"generator\" content=\"prmlint {}\">\n\
             <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
            w.lang().code(),
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
        let w = self.words();
        writeln!(
            h,
            "<header class=\"report-header\">\n<p class=\"eyebrow\">{}</p>",
            self.t("html.title")
        )?;
        match self.organisation() {
            Some(org) => writeln!(h, "<h1>{}</h1>", Text(org))?,
            None => writeln!(h, "<h1>{}</h1>", self.t("html.title-register"))?,
        }
        let subtitle = tr!(w, "html.subtitle", model = Text(&k.model.title).to_string());
        writeln!(h, "<p class=\"subtitle\">{subtitle}</p>")?;
        for document in self.run.documents {
            let m = &document.register.metadata;
            h.push_str("<dl class=\"meta\">\n");
            let rows = [
                ("html.organisation", m.organisation.as_deref()),
                ("html.register-version", m.version.as_deref()),
                ("html.source", m.source.as_deref()),
                ("html.exported", m.exported.as_deref()),
                ("html.file", Some(document.source.name.as_str())),
            ];
            for (term, value) in rows {
                if let Some(value) = value {
                    let term = self.t(term);
                    writeln!(h, "<div><dt>{term}</dt><dd>{}</dd></div>", Text(value))?;
                }
            }
            writeln!(
                h,
                "<div><dt>{}</dt><dd>{}</dd></div>",
                self.t("html.processes"),
                document.register.entries
            )?;
            h.push_str("</dl>\n");
        }
        h.push_str("<dl class=\"meta-report\">\n");
        writeln!(
            h,
            "<div><dt>{}</dt><dd>{} ({})</dd></div>",
            self.t("html.reference-model"),
            Text(&k.model.title),
            Text(&k.model.edition)
        )?;
        if let Some(date) = self.date {
            writeln!(
                h,
                "<div><dt>{1}</dt><dd><time datetime=\"{0}\">{0}</time></dd></div>",
                Text(date),
                self.t("html.report-date")
            )?;
        }
        writeln!(
            h,
            "</dl>\n<nav aria-label=\"{}\" class=\"toc\">\n<ol>",
            self.t("html.contents")
        )?;
        for (id, name) in [
            ("summary", "report.summary"),
            ("reading", "html.reading"),
            ("coverage", "html.coverage-map"),
            ("findings", "html.findings"),
            ("control-areas", "html.control-areas"),
            ("clauses", "html.clauses"),
            ("mapping", "html.mapping-table"),
        ] {
            writeln!(h, "<li><a href=\"#{id}\">{}</a></li>", self.t(name))?;
        }
        h.push_str("</ol>\n</nav>\n</header>\n");
        Ok(())
    }

    /// The summary: key figures, a lead sentence and the figures by category.
    fn summary(&self, h: &mut String) -> fmt::Result {
        writeln!(
            h,
            "<section id=\"summary\" aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">{}</h2>\n<ul class=\"kpis\">",
            self.t("report.summary")
        )?;
        self.kpis(h)?;
        h.push_str("</ul>\n");
        self.lead(h)?;
        self.figures_table(h)?;
        h.push_str("</section>\n");
        Ok(())
    }

    /// The key figures: covered and weighted coverage, adaptable and missing PRM processes.
    fn kpis(&self, h: &mut String) -> fmt::Result {
        let o = &self.run.analysis.figures.overall;
        let w = self.words();
        let kpis = [
            (
                "",
                w.percent(o.covered_ratio),
                "status.covered",
                tr!(
                    w,
                    "html.kpi-covered-note",
                    covered = o.covered,
                    total = o.total
                ),
            ),
            (
                "",
                w.percent(o.weighted_ratio),
                "html.kpi-weighted",
                w.word("html.kpi-weighted-note"),
            ),
            (
                " kpi-adaptable",
                o.adaptable.to_string(),
                "status.adaptable",
                w.word("html.kpi-adaptable-note"),
            ),
            (
                " kpi-missing",
                o.missing.to_string(),
                "status.missing",
                w.word("html.kpi-missing-note"),
            ),
        ];
        for (class, value, label, note) in kpis {
            writeln!(
                h,
                "<li class=\"kpi{class}\"><span class=\"kpi-value\">{}</span><span class=\"kpi-label\">{}</span><span class=\"kpi-note\">{}</span></li>",
                Text(&value),
                self.t(label),
                Text(&note)
            )?;
        }
        Ok(())
    }

    /// One sentence: how many processes were checked against how many, and the findings.
    fn lead(&self, h: &mut String) -> fmt::Result {
        let w = self.words();
        let counts = super::json::SeverityCounts::of(self.run.findings);
        let lead = tr!(
            w,
            "html.lead",
            processes = self
                .run
                .documents
                .iter()
                .map(|d| d.register.entries)
                .sum::<usize>(),
            prm = self.run.knowledge.model.processes.len(),
            errors = counted(counts.error, "count.errors.one", "count.errors.other"),
            warnings = counted(counts.warning, "count.warnings.one", "count.warnings.other"),
            notes = counted(counts.note, "count.notes.one", "count.notes.other"),
        );
        writeln!(h, "<p class=\"lead\">{lead}</p>")
    }

    /// The figures of each category and of all PRM processes, with a bar of their shares.
    fn figures_table(&self, h: &mut String) -> fmt::Result {
        let figures = &self.run.analysis.figures;
        let w = self.words();
        let head: Vec<String> = [
            ("", "html.category"),
            (" class=\"num\"", "report.prm-processes"),
            (" class=\"num\"", "html.covered"),
            (" class=\"num\"", "html.adaptable"),
            (" class=\"num\"", "html.missing"),
            (" class=\"num\"", "html.covered-percent"),
            (" class=\"num\"", "html.weighted-percent"),
            ("", "html.distribution"),
        ]
        .into_iter()
        .map(|(class, key)| format!("<th scope=\"col\"{class}>{}</th>", self.t(key)))
        .collect();
        writeln!(
            h,
            "<table class=\"figures\">\n<caption>{}</caption>\n<thead><tr>{}</tr></thead>\n<tbody>",
            self.t("html.figures-caption"),
            head.concat()
        )?;
        for (category, f) in &figures.categories {
            let name = self.run.category_name(category);
            figures_row(h, &Text(name).to_string(), f, w)?;
        }
        h.push_str("</tbody>\n<tfoot>\n");
        figures_row(h, &self.t("html.all-prm-processes"), &figures.overall, w)?;
        h.push_str("</tfoot>\n</table>\n");
        Ok(())
    }

    fn how_to_read(&self, h: &mut String) -> fmt::Result {
        let w = self.words();
        write!(
            h,
            "<section id=\"reading\" class=\"reading\" aria-labelledby=\"reading-h\">\n<h2 id=\"reading-h\">{}</h2>\n\
             <p>{}</p>\n<ul class=\"legend\">\n\
             <li class=\"legend-item status-covered\">{c}<span>{}</span></li>\n\
             <li class=\"legend-item status-adaptable\">{a}<span>{}</span></li>\n\
             <li class=\"legend-item status-missing\">{m}<span>{}</span></li>\n</ul>\n\
             <p>{}</p>\n</section>\n",
            self.t("html.reading"),
            tr!(
                w,
                "html.reading-intro",
                n = self.run.knowledge.model.processes.len()
            ),
            w.word("html.reading-covered"),
            w.word("html.reading-adaptable"),
            w.word("html.reading-missing"),
            w.word("html.reading-relationships"),
            c = status_icon(CoverageStatus::Covered),
            a = status_icon(CoverageStatus::Adaptable),
            m = status_icon(CoverageStatus::Missing),
        )
    }

    fn footer(&self, h: &mut String) -> fmt::Result {
        let w = self.words();
        let generated = tr!(
            w,
            "html.generated",
            version = env!("CARGO_PKG_VERSION"),
            model = Text(&self.run.knowledge.model.title).to_string()
        );
        write!(h, "<footer class=\"report-footer\">\n<p>{generated}")?;
        if let Some(date) = self.date {
            write!(
                h,
                " {}",
                tr!(w, "html.dated", date = Text(date).to_string())
            )?;
        }
        writeln!(h, " {}</p>\n</footer>", w.word("html.disclaimer"))?;
        Ok(())
    }
}

/// One row of the figures table; `name` is already escaped.
fn figures_row(h: &mut String, name: &str, f: &CategoryFigures, w: &Translator) -> fmt::Result {
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
        w.percent(f.covered_ratio),
        w.percent(f.weighted_ratio),
        share(f.covered),
        share(f.adaptable),
        share(f.missing),
    )
}

//! Findings grouped by kind, each with its advice and the explanation of its rule.

use std::fmt::{self, Write as _};

use super::Page;
use super::markup::{Prose, Text, sentence, severity_icon, severity_label};
use crate::diag::finding::Finding;
use crate::diag::rules::{Code, Stage};
use crate::i18n::{Translator, counted};
use crate::report::check_text::{GROUPS, by_kind, register_checks};
use crate::report::owners::{Actions, GroupBy};
use crate::tr;

impl Page<'_, '_> {
    pub(super) fn findings(&self, h: &mut String) -> fmt::Result {
        let w = self.words();
        writeln!(
            h,
            "<section id=\"findings\" class=\"page\" aria-labelledby=\"findings-h\">\n<h2 id=\"findings-h\">{}</h2>",
            self.t("html.findings")
        )?;
        let counts = crate::report::json::SeverityCounts::of(self.run.findings);
        let intro = tr!(
            w,
            "html.findings-intro",
            n = counted(
                self.run.findings.len(),
                "count.findings.one",
                "count.findings.other"
            ),
            errors = counted(counts.error, "count.errors.one", "count.errors.other"),
            warnings = counted(counts.warning, "count.warnings.one", "count.warnings.other"),
            notes = counted(counts.note, "count.notes.one", "count.notes.other"),
            grouped = match self.group_by {
                GroupBy::Kind => w.word("html.grouped-by-kind"),
                GroupBy::Owner => w.word("html.grouped-by-owner"),
            }
        );
        writeln!(h, "<p>{}</p>", Text(&intro))?;
        if self.group_by == GroupBy::Owner {
            self.findings_by_owner(h)?;
            h.push_str("</section>\n");
            return Ok(());
        }
        let grouped: Vec<Code> = GROUPS
            .iter()
            .flat_map(|(_, codes)| *codes)
            .copied()
            .collect();
        for (title, group) in by_kind(self.run.findings) {
            self.finding_group(h, title, &group, false)?;
        }
        let quality: Vec<&Finding> = register_checks(self.run.findings).collect();
        self.finding_group(h, "html.register-quality", &quality, true)?;
        // Nothing is left out, should a new kind of analysis finding lack a group above.
        let other: Vec<&Finding> = self
            .run
            .findings
            .iter()
            .filter(|f| f.code.info().stage == Stage::Analysis && !grouped.contains(&f.code))
            .collect();
        self.finding_group(h, "html.other-findings", &other, false)?;
        if self.run.findings.is_empty() {
            writeln!(h, "<p class=\"empty\">{}</p>", self.t("html.no-findings"))?;
        }
        h.push_str("</section>\n");
        Ok(())
    }

    fn finding_group(
        &self,
        h: &mut String,
        title: &'static str,
        group: &[&Finding],
        with_place: bool,
    ) -> fmt::Result {
        if group.is_empty() {
            return Ok(());
        }
        // An anchor from the English title, the same in every language: "Reuse: processes to
        // adapt" -> "findings-reuse-processes-to-adapt".
        let anchor = Translator::english()
            .word(title)
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            .join("-");
        writeln!(
            h,
            "<div class=\"finding-group\" id=\"findings-{anchor}\">\n<h3>{} <span class=\"count\">{}</span></h3>",
            self.t(title),
            group.len()
        )?;
        let mut codes: Vec<Code> = group.iter().map(|f| f.code).collect();
        codes.sort();
        codes.dedup();
        writeln!(
            h,
            "<details class=\"why\">\n<summary>{}</summary>\n<div class=\"details-body\">\n<dl>",
            self.t("html.why-this-matters")
        )?;
        for code in codes {
            let (summary, explanation) = self.words().rule(code);
            writeln!(
                h,
                "<dt><code>{}</code>: {}</dt>\n<dd>{}</dd>",
                code.as_str(),
                Prose(&summary),
                Prose(&explanation)
            )?;
        }
        h.push_str("</dl>\n</div>\n</details>\n<ol class=\"findings\">\n");
        for finding in group {
            self.finding_item(h, finding, with_place)?;
        }
        h.push_str("</ol>\n</div>\n");
        Ok(())
    }

    /// One finding as a list item: severity, rule, place, message, advice, activities, evidence.
    fn finding_item(&self, h: &mut String, finding: &Finding, with_place: bool) -> fmt::Result {
        let severity = finding.severity;
        write!(
            h,
            "<li class=\"finding sev-{0}\">\n<p class=\"finding-head\"><span class=\"badge sev-{0}\">{1}<span>{2}</span></span> <code class=\"rule\">{3}</code>",
            severity.as_str(),
            severity_icon(severity),
            severity_label(severity, self.words()),
            finding.code.as_str()
        )?;
        if with_place && let Some(place) = self.place(finding) {
            write!(h, " <span class=\"place\">{}</span>", Text(&place))?;
        }
        writeln!(
            h,
            "</p>\n<p class=\"message\">{}</p>",
            Prose(&sentence(&finding.message))
        )?;
        if let Some(help) = &finding.help {
            writeln!(
                h,
                "<p class=\"advice\"><span class=\"label\">{}:</span> {}</p>",
                self.t("html.advice"),
                Prose(&sentence(help))
            )?;
        }
        if !finding.activities.is_empty() {
            h.push_str("<ul class=\"activities\">\n");
            for activity in &finding.activities {
                writeln!(h, "<li>{}</li>", Text(&activity.text))?;
            }
            h.push_str("</ul>\n");
        }
        if !finding.evidence.is_empty() {
            writeln!(
                h,
                "<p class=\"why\"><span class=\"label\">{}:</span></p>\n<ul class=\"evidence\">",
                self.t("html.why")
            )?;
            for signal in &finding.evidence {
                writeln!(h, "<li>{}</li>", Prose(signal))?;
            }
            h.push_str("</ul>\n");
        }
        h.push_str("</li>\n");
        Ok(())
    }

    /// The findings as an action list per process owner (`--group-by owner`), then the PRM
    /// processes nobody owns and the findings about a register as a whole.
    fn findings_by_owner(&self, h: &mut String) -> fmt::Result {
        let w = self.words();
        let actions = Actions::of(self.run);
        for (n, owner) in actions.owners.iter().enumerate() {
            let title = owner.title(str::to_owned, w);
            let findings = owner.findings();
            writeln!(
                h,
                "<div class=\"finding-group\" id=\"owner-{}\">\n<h3>{} <span class=\"count\">{findings}</span></h3>",
                n + 1,
                Text(&title)
            )?;
            for p in &owner.processes {
                writeln!(
                    h,
                    "<p class=\"owner-process\"><span class=\"pid\">{}</span> {}</p>\n<ol class=\"findings\">",
                    Text(&p.process.id),
                    Text(&p.process.name)
                )?;
                for finding in &p.findings {
                    self.finding_item(h, finding, false)?;
                }
                h.push_str("</ol>\n");
            }
            h.push_str("</div>\n");
        }
        if !actions.unowned.is_empty() {
            writeln!(
                h,
                "<div class=\"finding-group\" id=\"unowned\">\n<h3>{} <span class=\"count\">{}</span></h3>\n<ul class=\"unowned\">",
                self.t("html.nobody-owns"),
                actions.unowned.len()
            )?;
            for u in &actions.unowned {
                write!(
                    h,
                    "<li><code>{}</code> {} ({}",
                    Text(&u.prm.id),
                    Text(&u.prm.name),
                    Text(&u.status.word(w))
                )?;
                if let Some(ownerless) = u.ownerless(w) {
                    write!(h, "; {}", Text(&ownerless))?;
                }
                h.push(')');
                for help in u.findings.iter().filter_map(|f| f.help.as_deref()) {
                    write!(
                        h,
                        "<p class=\"advice\"><span class=\"label\">{}:</span> {}</p>",
                        self.t("html.advice"),
                        Prose(&sentence(help))
                    )?;
                }
                h.push_str("</li>\n");
            }
            h.push_str("</ul>\n</div>\n");
        }
        self.finding_group(h, "html.other-findings", &actions.other, true)
    }

    /// `file:line:column` of a finding, when it has a place.
    fn place(&self, finding: &Finding) -> Option<String> {
        let document = self.run.sources.get(finding.file?)?;
        match &finding.span {
            Some(span) => {
                let (line, column) = document.line_col(span);
                Some(format!("{}:{line}:{column}", document.source.name))
            }
            None => Some(document.source.name.clone()),
        }
    }
}

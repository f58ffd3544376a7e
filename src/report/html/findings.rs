//! Findings grouped by kind, each with its advice and the explanation of its rule.

use std::fmt::{self, Write as _};

use super::Page;
use super::markup::{Prose, Text, sentence, severity_icon, severity_label};
use crate::finding::Finding;
use crate::report::check_text::GROUPS;
use crate::report::owners::{Actions, GroupBy};
use crate::rules::{Code, Stage};

impl Page<'_, '_> {
    pub(super) fn findings(&self, h: &mut String) -> fmt::Result {
        h.push_str("<section id=\"findings\" class=\"page\" aria-labelledby=\"findings-h\">\n<h2 id=\"findings-h\">Findings and advice</h2>\n");
        let counts = crate::report::json::SeverityCounts::of(self.run.findings);
        writeln!(
            h,
            "<p>{} finding(s): {} error(s), {} warning(s), {} note(s), {}. Each comes with advice; \
             “Why this matters” explains the kind of finding.</p>",
            self.run.findings.len(),
            counts.error,
            counts.warning,
            counts.note,
            match self.group_by {
                GroupBy::Kind => "grouped by kind",
                GroupBy::Owner => "listed per owner of the processes they concern",
            }
        )?;
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
        for (title, codes) in GROUPS {
            let group: Vec<&Finding> = self
                .run
                .findings
                .iter()
                .filter(|f| codes.contains(&f.code))
                .collect();
            self.finding_group(h, title, &group, false)?;
        }
        let quality: Vec<&Finding> = self
            .run
            .findings
            .iter()
            .filter(|f| f.code.info().stage != Stage::Analysis)
            .collect();
        self.finding_group(h, "Register quality", &quality, true)?;
        // Nothing is left out, should a new kind of analysis finding lack a group above.
        let other: Vec<&Finding> = self
            .run
            .findings
            .iter()
            .filter(|f| f.code.info().stage == Stage::Analysis && !grouped.contains(&f.code))
            .collect();
        self.finding_group(h, "Other findings", &other, false)?;
        if self.run.findings.is_empty() {
            h.push_str("<p class=\"empty\">No findings.</p>\n");
        }
        h.push_str("</section>\n");
        Ok(())
    }

    fn finding_group(
        &self,
        h: &mut String,
        title: &str,
        group: &[&Finding],
        with_place: bool,
    ) -> fmt::Result {
        if group.is_empty() {
            return Ok(());
        }
        // An anchor from the title: "Reuse: processes to adapt" -> "findings-reuse-processes-to-adapt".
        let anchor = title
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            .join("-");
        writeln!(
            h,
            "<div class=\"finding-group\" id=\"findings-{anchor}\">\n<h3>{} <span class=\"count\">{}</span></h3>",
            Text(title),
            group.len()
        )?;
        let mut codes: Vec<Code> = group.iter().map(|f| f.code).collect();
        codes.sort();
        codes.dedup();
        h.push_str("<details class=\"why\">\n<summary>Why this matters</summary>\n<div class=\"details-body\">\n<dl>\n");
        for code in codes {
            let info = code.info();
            writeln!(
                h,
                "<dt><code>{}</code>: {}</dt>\n<dd>{}</dd>",
                info.code,
                Prose(info.summary),
                Prose(info.explanation)
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
            severity_label(severity),
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
                "<p class=\"advice\"><span class=\"label\">Advice:</span> {}</p>",
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
            h.push_str(
                "<p class=\"why\"><span class=\"label\">Why:</span></p>\n<ul class=\"evidence\">\n",
            );
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
        let actions = Actions::of(self.run);
        for (n, owner) in actions.owners.iter().enumerate() {
            let title = owner.title(str::to_owned);
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
                "<div class=\"finding-group\" id=\"unowned\">\n<h3>PRM processes nobody owns <span class=\"count\">{}</span></h3>\n<ul class=\"unowned\">",
                actions.unowned.len()
            )?;
            for u in &actions.unowned {
                write!(
                    h,
                    "<li><code>{}</code> {} ({}",
                    Text(&u.prm.id),
                    Text(&u.prm.name),
                    u.status.as_str()
                )?;
                if let Some(ownerless) = u.ownerless() {
                    write!(h, "; {}", Text(&ownerless))?;
                }
                h.push(')');
                for help in u.findings.iter().filter_map(|f| f.help.as_deref()) {
                    write!(
                        h,
                        "<p class=\"advice\"><span class=\"label\">Advice:</span> {}</p>",
                        Prose(&sentence(help))
                    )?;
                }
                h.push_str("</li>\n");
            }
            h.push_str("</ul>\n</div>\n");
        }
        self.finding_group(h, "Other findings", &actions.other, true)
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

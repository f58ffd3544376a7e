//! The control-area processes and the mapping table.

use std::fmt::{self, Write as _};

use super::Page;
use super::markup::Text;
use crate::mapping::{Mapping, ProcessMapping, Source};
use crate::model::ControlArea;
use crate::source::register::{Process, Status};
use crate::tr;

impl<'a> Page<'_, 'a> {
    pub(super) fn control_areas(&self, h: &mut String) -> fmt::Result {
        let k = self.run.knowledge;
        writeln!(
            h,
            "<section id=\"control-areas\" class=\"page\" aria-labelledby=\"control-areas-h\">\n<h2 id=\"control-areas-h\">{}</h2>\n<p>{}</p>",
            self.t("html.control-areas"),
            self.t("html.control-areas-intro")
        )?;
        let rows: Vec<(&Process, &ProcessMapping, &ControlArea)> = self
            .entries()
            .filter_map(|(process, result)| {
                let id = result.control_area.as_deref()?;
                let area = k.control_areas.iter().find(|a| a.id == id)?;
                Some((process, result, area))
            })
            .collect();
        if rows.is_empty() {
            writeln!(
                h,
                "<p class=\"empty\">{}</p>\n</section>",
                self.t("html.no-control-area")
            )?;
            return Ok(());
        }
        writeln!(
            h,
            "<table class=\"data areas\">\n<caption>{}</caption>\n\
             <colgroup><col class=\"w-process\"><col class=\"w-area\"><col class=\"w-controls\"><col class=\"w-steer\"></colgroup>\n<thead><tr>\
             <th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
             <th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>",
            self.t("html.areas-caption"),
            self.t("html.register-process"),
            self.t("html.control-area"),
            self.t("clauses.controls"),
            self.t("html.steered-by"),
        )?;
        for (process, result, area) in rows {
            write!(
                h,
                "<tr><td><span class=\"pid\">{}</span> {}</td><td>{}",
                Text(&process.id),
                Text(&process.name),
                Text(&area.name)
            )?;
            if !result.control_area_evidence.is_empty() {
                write!(
                    h,
                    "<details><summary>{}</summary><ul class=\"evidence\">",
                    self.t("html.evidence")
                )?;
                for e in &result.control_area_evidence {
                    write!(h, "<li>{}</li>", Text(e))?;
                }
                h.push_str("</ul></details>");
            }
            let controls: Vec<String> = area.annex_a.iter().map(|c| format!("A.{c}")).collect();
            write!(
                h,
                "</td><td>{}</td><td><ul class=\"plain\">",
                Text(&controls.join(", "))
            )?;
            for steer in &area.steered_by {
                write!(h, "<li>{}</li>", Text(self.prm_name(steer)))?;
            }
            h.push_str("</ul></td></tr>\n");
        }
        h.push_str("</tbody>\n</table>\n</section>\n");
        Ok(())
    }

    /// Every register process with its mapping result, in register order.
    fn entries(&self) -> impl Iterator<Item = (&'a Process, &'a ProcessMapping)> {
        crate::mapping::mapped(self.run.documents, self.run.results).map(|m| (m.process, m.result))
    }

    /// The mapping table: every register process with the PRM processes it maps onto.
    pub(super) fn mapping_table(&self, h: &mut String) -> fmt::Result {
        let w = self.words();
        writeln!(
            h,
            "<section id=\"mapping\" class=\"page\" aria-labelledby=\"mapping-h\">\n<h2 id=\"mapping-h\">{}</h2>\n\
             <p>{}</p>\n\
             <table class=\"data mapping\">\n<caption>{}</caption>\n\
             <colgroup><col class=\"w-process\"><col class=\"w-prm\"><col class=\"w-rel\"><col class=\"w-score\"><col class=\"w-source\"><col class=\"w-evidence\"></colgroup>\n<thead><tr>\
             <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
             <th scope=\"col\" class=\"num\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>",
            self.t("html.mapping-table"),
            w.word("html.mapping-intro"),
            self.t("html.mapping-caption"),
            self.t("html.register-process"),
            self.t("report.prm-process"),
            self.t("mappings.relationship"),
            self.t("mappings.score"),
            self.t("mappings.source"),
            self.t("html.evidence"),
        )?;
        for (process, result) in self.entries() {
            self.process_rows(h, process, result)?;
        }
        h.push_str("</table>\n</section>\n");
        Ok(())
    }

    /// One register process: a row group headed by the process, a row per mapping.
    fn process_rows(
        &self,
        h: &mut String,
        process: &Process,
        result: &ProcessMapping,
    ) -> fmt::Result {
        let rows = result.mappings.len().max(1);
        h.push_str("<tbody>\n<tr>");
        write!(
            h,
            "<th scope=\"rowgroup\" rowspan=\"{rows}\"><span class=\"pid\">{}</span> {}",
            Text(&process.id),
            Text(&process.name)
        )?;
        self.process_tags(h, process, result)?;
        h.push_str("</th>");
        if result.mappings.is_empty() {
            writeln!(
                h,
                "<td colspan=\"5\" class=\"muted\">{}</td></tr>",
                self.t("html.no-prm-process")
            )?;
        }
        for (i, m) in result.mappings.iter().enumerate() {
            if i > 0 {
                h.push_str("<tr>");
            }
            self.mapping_cells(h, m)?;
        }
        h.push_str("</tbody>\n");
        Ok(())
    }

    /// Tags saying why a process is not counted or which control area it belongs to.
    fn process_tags(
        &self,
        h: &mut String,
        process: &Process,
        result: &ProcessMapping,
    ) -> fmt::Result {
        let w = self.words();
        if process.status != Status::Active {
            let tag = tr!(w, "html.not-counted", what = process.status.as_str());
            write!(h, " <span class=\"tag\">{}</span>", Text(&tag))?;
        }
        if result.umbrella {
            let tag = tr!(w, "html.not-counted", what = w.word("mappings.umbrella"));
            write!(h, " <span class=\"tag\">{}</span>", Text(&tag))?;
        }
        if let Some(area) = result.control_area.as_deref() {
            let name = self
                .run
                .knowledge
                .control_areas
                .iter()
                .find(|a| a.id == area)
                .map_or(area, |a| a.name.as_str());
            let tag = tr!(w, "html.control-area-tag", area = name);
            write!(h, " <span class=\"tag\">{}</span>", Text(&tag))?;
        }
        Ok(())
    }

    /// The cells of one mapping: PRM process, relationship, score, source and evidence.
    fn mapping_cells(&self, h: &mut String, m: &Mapping) -> fmt::Result {
        let w = self.words();
        write!(
            h,
            "<td>{} <span class=\"pid\">{}</span></td><td>{}",
            Text(self.prm_name(&m.prm)),
            Text(&m.prm),
            m.relationship.as_str()
        )?;
        if let Some(declared) = m.declared
            && declared != m.relationship
        {
            let note = tr!(w, "html.declared-as", relationship = declared.as_str());
            write!(h, " <span class=\"muted\">({})</span>", Text(&note))?;
        }
        let source = match m.source {
            Source::Declared => self.t("html.source-declared"),
            Source::Crosswalk => self.t("html.source-crosswalk"),
            Source::Fuzzy => self.t("html.source-wording"),
        };
        write!(
            h,
            "</td><td class=\"num\">{}</td><td>{source}</td><td><ul class=\"evidence\">",
            w.number(m.score, 2)
        )?;
        for e in &m.evidence {
            write!(h, "<li>{}</li>", Text(e))?;
        }
        h.push_str("</ul>");
        if !m.missing_activities.is_empty() {
            let n = m.missing_activities.len();
            let summary = if n == 1 {
                tr!(w, "html.not-evidenced-one", n = n)
            } else {
                tr!(w, "html.not-evidenced-other", n = n)
            };
            write!(
                h,
                "<details><summary>{}</summary><ul class=\"evidence\">",
                Text(&summary)
            )?;
            self.activity_items(h, &m.missing_activities, "")?;
            h.push_str("</ul></details>");
        }
        h.push_str("</td></tr>\n");
        Ok(())
    }
}

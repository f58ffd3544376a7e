//! The control-area processes and the mapping table.

use std::fmt::{self, Write as _};

use super::Page;
use super::markup::Text;
use crate::mapping::{ProcessMapping, Source};
use crate::model::ControlArea;
use crate::register::{Process, Status};

impl<'a> Page<'_, 'a> {
    pub(super) fn control_areas(&self, h: &mut String) -> fmt::Result {
        let k = self.run.knowledge;
        h.push_str("<section id=\"control-areas\" class=\"page\" aria-labelledby=\"control-areas-h\">\n<h2 id=\"control-areas-h\">Control-area processes</h2>\n\
             <p>These processes run controls of ISO/IEC 27001:2022 Annex A. The PRM leaves them to the controls: they are neither gaps nor duplicates. \
             They are steered by the PRM processes named, and belong in the Statement of Applicability.</p>\n");
        let rows: Vec<(&Process, &ProcessMapping, &ControlArea)> = self
            .entries()
            .filter_map(|(process, result)| {
                let id = result.control_area.as_deref()?;
                let area = k.control_areas.iter().find(|a| a.id == id)?;
                Some((process, result, area))
            })
            .collect();
        if rows.is_empty() {
            h.push_str(
                "<p class=\"empty\">No register process runs a control area.</p>\n</section>\n",
            );
            return Ok(());
        }
        h.push_str("<table class=\"data areas\">\n<caption>Register processes that run a control area</caption>\n\
             <colgroup><col class=\"w-process\"><col class=\"w-area\"><col class=\"w-controls\"><col class=\"w-steer\"></colgroup>\n<thead><tr>\
             <th scope=\"col\">Register process</th><th scope=\"col\">Control area</th>\
             <th scope=\"col\">Annex A controls</th><th scope=\"col\">Steered by PRM processes</th></tr></thead>\n<tbody>\n");
        for (process, result, area) in rows {
            write!(
                h,
                "<tr><td><span class=\"pid\">{}</span> {}</td><td>{}",
                Text(&process.id),
                Text(&process.name),
                Text(&area.name)
            )?;
            if !result.control_area_evidence.is_empty() {
                h.push_str("<details><summary>Evidence</summary><ul class=\"evidence\">");
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
        self.run
            .documents
            .iter()
            .zip(self.run.results)
            .flat_map(|(d, results)| d.register.processes.iter().zip(results))
    }

    pub(super) fn mapping_table(&self, h: &mut String) -> fmt::Result {
        h.push_str("<section id=\"mapping\" class=\"page\" aria-labelledby=\"mapping-h\">\n<h2 id=\"mapping-h\">Mapping table</h2>\n\
             <p>Every register process with the PRM processes it maps onto, best first. Source says where a mapping comes from: \
             declared in the register, a crosswalk catalogue (ITIL, COBIT, …) or the process's own wording.</p>\n\
             <table class=\"data mapping\">\n<caption>Register processes mapped onto the PRM</caption>\n\
             <colgroup><col class=\"w-process\"><col class=\"w-prm\"><col class=\"w-rel\"><col class=\"w-score\"><col class=\"w-source\"><col class=\"w-evidence\"></colgroup>\n<thead><tr>\
             <th scope=\"col\">Register process</th><th scope=\"col\">PRM process</th><th scope=\"col\">Relationship</th>\
             <th scope=\"col\" class=\"num\">Score</th><th scope=\"col\">Source</th><th scope=\"col\">Evidence</th></tr></thead>\n");
        for (process, result) in self.entries() {
            let rows = result.mappings.len().max(1);
            h.push_str("<tbody>\n<tr>");
            write!(
                h,
                "<th scope=\"rowgroup\" rowspan=\"{rows}\"><span class=\"pid\">{}</span> {}",
                Text(&process.id),
                Text(&process.name)
            )?;
            if process.status != Status::Active {
                write!(
                    h,
                    " <span class=\"tag\">{}, not counted</span>",
                    process.status.as_str()
                )?;
            }
            if result.umbrella {
                h.push_str(" <span class=\"tag\">umbrella, not counted</span>");
            }
            if let Some(area) = result.control_area.as_deref() {
                let name = self
                    .run
                    .knowledge
                    .control_areas
                    .iter()
                    .find(|a| a.id == area)
                    .map_or(area, |a| a.name.as_str());
                write!(
                    h,
                    " <span class=\"tag\">control area: {}</span>",
                    Text(name)
                )?;
            }
            h.push_str("</th>");
            if result.mappings.is_empty() {
                h.push_str("<td colspan=\"5\" class=\"muted\">No PRM process</td></tr>\n");
            }
            for (i, m) in result.mappings.iter().enumerate() {
                if i > 0 {
                    h.push_str("<tr>");
                }
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
                    write!(
                        h,
                        " <span class=\"muted\">(declared {})</span>",
                        declared.as_str()
                    )?;
                }
                let source = match m.source {
                    Source::Declared => "declared",
                    Source::Crosswalk => "crosswalk",
                    Source::Fuzzy => "wording",
                };
                write!(
                    h,
                    "</td><td class=\"num\">{:.2}</td><td>{source}</td><td><ul class=\"evidence\">",
                    m.score
                )?;
                for e in &m.evidence {
                    write!(h, "<li>{}</li>", Text(e))?;
                }
                h.push_str("</ul>");
                if !m.missing_activities.is_empty() {
                    write!(
                        h,
                        "<details><summary>{} PRM activit{} not evidenced</summary><ul class=\"evidence\">",
                        m.missing_activities.len(),
                        if m.missing_activities.len() == 1 {
                            "y"
                        } else {
                            "ies"
                        }
                    )?;
                    for a in &m.missing_activities {
                        write!(
                            h,
                            "<li>{}</li>",
                            Text(self.activity_text(a).unwrap_or(a.as_str()))
                        )?;
                    }
                    h.push_str("</ul></details>");
                }
                h.push_str("</td></tr>\n");
            }
            h.push_str("</tbody>\n");
        }
        h.push_str("</table>\n</section>\n");
        Ok(())
    }
}

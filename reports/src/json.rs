//! The JSON report: the whole [`ScanReport`], every result with its status and evidence. It is the
//! archival format that every other report can be re-rendered from.
use crate::{RenderOptions, Reporter};
use palisade_model::ScanReport;
use std::io::{self, Write};

pub struct Json;

impl Reporter for Json {
    fn render(
        &self,
        report: &ScanReport,
        _: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, report)?;
        out.write_all(b"\n")
    }
}

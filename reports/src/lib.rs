//! palisade's reporters. Each output format is one file implementing [`Reporter`]; a reporter renders a
//! [`ScanReport`] and decides nothing (statuses, counts and waivers are settled before it runs).

use palisade_model::ScanReport;
use std::io::{self, Write};

pub mod json;
pub mod sarif;
pub mod text;

/// Options shared by the reporters.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// SARIF `automationDetails.id` (GitHub code scanning category), e.g. `palisade/123456789012/`.
    pub category: Option<String>,
}

/// One output format.
pub trait Reporter {
    fn render(
        &self,
        report: &ScanReport,
        opts: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()>;
}

/// The formats palisade writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

impl Format {
    pub const NAMES: [&'static str; 3] = ["text", "json", "sarif"];
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "sarif" => Some(Format::Sarif),
            _ => None,
        }
    }
    pub fn reporter(self) -> Box<dyn Reporter> {
        match self {
            Format::Text => Box::new(text::Text),
            Format::Json => Box::new(json::Json),
            Format::Sarif => Box::new(sarif::Sarif),
        }
    }
}

/// Renders to a string (for tests and small outputs).
pub fn render_to_string(f: Format, report: &ScanReport, opts: &RenderOptions) -> String {
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = f.reporter().render(report, opts, &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

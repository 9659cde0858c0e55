//! palisade's reporters. Each output format is one file implementing [`Reporter`]; a reporter renders a
//! [`ScanReport`] and decides nothing (statuses, counts and waivers are settled before it runs).

use palisade_model::ScanReport;
use std::io::{self, Write};

pub mod csv;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod ocsf;
pub mod sarif;
pub mod text;

/// Options shared by the reporters.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// SARIF `automationDetails.id` (GitHub code scanning category), e.g. `palisade/123456789012/`.
    pub category: Option<String>,
    /// Upper bound of the output size in bytes, for formats that truncate (the Markdown job summary:
    /// GitHub rejects a step summary over 1 MiB). `None` = the format's default.
    pub max_bytes: Option<usize>,
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
    Html,
    Markdown,
    Junit,
    Csv,
    Ocsf,
}

impl Format {
    pub const NAMES: [&'static str; 8] = [
        "text", "json", "sarif", "html", "markdown", "junit", "csv", "ocsf",
    ];
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "sarif" => Some(Format::Sarif),
            "html" => Some(Format::Html),
            "markdown" | "md" => Some(Format::Markdown),
            "junit" => Some(Format::Junit),
            "csv" => Some(Format::Csv),
            "ocsf" => Some(Format::Ocsf),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Junit => "junit",
            Format::Csv => "csv",
            Format::Ocsf => "ocsf",
        }
    }
    pub fn reporter(self) -> Box<dyn Reporter> {
        match self {
            Format::Text => Box::new(text::Text),
            Format::Json => Box::new(json::Json),
            Format::Sarif => Box::new(sarif::Sarif),
            Format::Html => Box::new(html::Html),
            Format::Markdown => Box::new(markdown::Markdown),
            Format::Junit => Box::new(junit::Junit),
            Format::Csv => Box::new(csv::Csv),
            Format::Ocsf => Box::new(ocsf::Ocsf),
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

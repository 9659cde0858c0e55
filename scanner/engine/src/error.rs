//! The engine's errors. Each names the file and, where known, the line, so the CLI can say exactly what is
//! wrong with an input and exit 2.
use std::fmt;

/// A problem with an input file (policy, inventory, config), located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub file: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
            (Some(l), None) => write!(f, "{}:{l}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("invalid policy {0}")]
    Policy(Located),
    #[error("invalid inventory {0}")]
    Inventory(Located),
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Config(String),
    #[error("internal engine error: {0}")]
    Internal(String),
}

impl EngineError {
    pub fn policy(file: &str, line: Option<u32>, message: impl Into<String>) -> Self {
        EngineError::Policy(Located {
            file: file.to_string(),
            line,
            column: None,
            message: message.into(),
        })
    }
}

/// Finds `--> file:line:col` in a regorus error text and returns (line, col, the error sentence).
pub fn parse_regorus_error(text: &str) -> (Option<u32>, Option<u32>, String) {
    let mut line = None;
    let mut col = None;
    for l in text.lines() {
        if let Some(rest) = l.trim_start().strip_prefix("-->") {
            let parts: Vec<&str> = rest.trim().rsplitn(3, ':').collect();
            if parts.len() == 3 {
                col = parts[0].parse().ok();
                line = parts[1].parse().ok();
            }
            break;
        }
    }
    let sentence = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("error:"))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| text.lines().last().unwrap_or("").trim().to_string());
    (line, col, sentence)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn parses_regorus_location() {
        let t = "--> bad.rego:5:7\n  |\n5 |   msg := x\n  |       ^\nerror: expecting `}` while parsing set";
        assert_eq!(
            parse_regorus_error(t),
            (
                Some(5),
                Some(7),
                "expecting `}` while parsing set".to_string()
            )
        );
    }
}

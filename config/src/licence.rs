//! `[licence]`: how many mobile numbers may use callback.
//!
//! `mode = "demo"` (the default, also when the table is absent) allows exactly one
//! mobile number in the whole file; more is an error naming the limit (checked with the
//! other cross-references). `mode = "licensed"` needs `file`, a signed licence file that
//! states the number allowed. This crate only checks that `file` is given: the file is
//! read and its signature verified when the node starts (`callbackd run`), not by
//! `callbackd check`. `file` with `mode = "demo"` is an error, as it would be ignored.

use std::path::PathBuf;

use serde::Deserialize;

use crate::error::{Issues, Problem};

/// How many callback numbers the demo licence allows.
pub const DEMO_NUMBERS: usize = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LicenceMode {
    Demo,
    Licensed,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLicence {
    pub mode: Option<LicenceMode>,
    file: Option<PathBuf>,
}

/// `[licence]`.
#[derive(Debug, Clone, PartialEq)]
pub enum Licence {
    /// One callback number.
    Demo,
    /// As many as the signed file allows (read when the node starts).
    Licensed { file: PathBuf },
}

impl TryFrom<RawLicence> for Licence {
    type Error = Issues;

    fn try_from(raw: RawLicence) -> Result<Self, Issues> {
        let mut issues = Issues::default();
        let licence = match (raw.mode.unwrap_or(LicenceMode::Demo), raw.file) {
            (LicenceMode::Demo, None) => Some(Licence::Demo),
            (LicenceMode::Demo, Some(_)) => {
                issues.key("file", Problem::LicenceFileInDemo);
                None
            }
            (LicenceMode::Licensed, Some(file)) => Some(Licence::Licensed { file }),
            (LicenceMode::Licensed, None) => {
                issues.value("mode", Problem::LicenceFileMissing);
                None
            }
        };
        issues.finish(licence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn licence(mode: Option<LicenceMode>, file: Option<&str>) -> Result<Licence, Issues> {
        Licence::try_from(RawLicence {
            mode,
            file: file.map(PathBuf::from),
        })
    }

    #[test]
    fn modes() {
        assert_eq!(licence(None, None).unwrap(), Licence::Demo);
        assert_eq!(
            licence(Some(LicenceMode::Licensed), Some("l.toml")).unwrap(),
            Licence::Licensed {
                file: "l.toml".into()
            }
        );
        let missing = licence(Some(LicenceMode::Licensed), None).unwrap_err();
        assert_eq!(missing.0[0].problem, Problem::LicenceFileMissing);
        let ignored = licence(Some(LicenceMode::Demo), Some("l.toml")).unwrap_err();
        assert_eq!(ignored.0[0].key, "file");
    }
}

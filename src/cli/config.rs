//! Where the index and the corpus are when the command line does not say, so that an
//! installed `zhenggai` works from any folder.
//!
//! The index is, first found wins:
//! 1. `--index DIR`;
//! 2. the `ZHENGGAI_INDEX` environment variable;
//! 3. `index = "…"` in the config file;
//! 4. `./index` when the working directory holds a zhenggai index there or a `./seeds`
//!    corpus (a checkout: the first search builds `./index` from `./seeds`);
//! 5. the data directory: `$XDG_DATA_HOME/zhenggai/index`, by default
//!    `~/.local/share/zhenggai/index` (`%LOCALAPPDATA%\zhenggai\index` on Windows).
//!
//! The default corpus (what `index` reads when given none and the index does not
//! remember one, and what a first search builds a missing index from) is
//! `ZHENGGAI_CORPUS`, then `corpus = "…"` in the config file, then `./seeds` when
//! present; otherwise there is none and the user is told how to name one.
//!
//! The config file is `ZHENGGAI_CONFIG` when set, else
//! `$XDG_CONFIG_HOME/zhenggai/config.toml`, by default
//! `~/.config/zhenggai/config.toml` (`%APPDATA%\zhenggai\config.toml` on Windows).
//! Relative paths in it are taken from the folder it is in; `~/` is the home folder.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Deserialize;

/// Environment variable naming the index folder.
pub const INDEX_ENV: &str = "ZHENGGAI_INDEX";
/// Environment variable naming the default corpus folder.
pub const CORPUS_ENV: &str = "ZHENGGAI_CORPUS";
/// Environment variable naming the config file.
pub const CONFIG_ENV: &str = "ZHENGGAI_CONFIG";

/// Index folder in the working directory (a checkout) and in the data directory.
const INDEX_DIR: &str = "index";
/// Corpus folder in the working directory (a checkout).
const SEEDS_DIR: &str = "seeds";
/// Folder of zhenggai in the user's config and data directories.
const APP_DIR: &str = "zhenggai";
/// Name of the config file.
const CONFIG_FILE: &str = "config.toml";

/// The config file's contents. Unknown keys are an error, so that a misspelt key
/// is not silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    /// Index folder.
    index: Option<PathBuf>,
    /// Default corpus folder.
    corpus: Option<PathBuf>,
}

/// Where a path came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `--index` on the command line.
    Flag,
    /// An environment variable (its name).
    Env(&'static str),
    /// The config file (its path).
    Config(PathBuf),
    /// The working directory (`./index`, `./seeds`).
    WorkingDir,
    /// The user's data directory.
    DataDir,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag => write!(f, "--index"),
            Origin::Env(name) => write!(f, "{name}"),
            Origin::Config(path) => write!(f, "{}", path.display()),
            Origin::WorkingDir => write!(f, "当前目录 (working directory)"),
            Origin::DataDir => write!(f, "数据目录 (data directory)"),
        }
    }
}

/// A folder and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The folder.
    pub path: PathBuf,
    /// Where it was found.
    pub origin: Origin,
}

/// The index and default corpus of this run.
#[derive(Debug, Clone)]
pub struct Places {
    /// The index folder.
    pub index: Located,
    /// The default corpus folder, if any is configured or present.
    pub corpus: Option<Located>,
    /// The config file that was looked for (read when it exists).
    pub config_file: Option<PathBuf>,
}

impl Places {
    /// Resolves the places from the process's environment and working directory.
    pub fn from_env(flag_index: Option<PathBuf>) -> Result<Places> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        resolve(flag_index, &|name| std::env::var_os(name), &cwd)
    }

    /// Places for a command that uses no index, when they cannot be resolved: the
    /// flag's index (or `index`), no corpus.
    pub fn unresolved(flag_index: Option<PathBuf>) -> Places {
        let origin = if flag_index.is_some() {
            Origin::Flag
        } else {
            Origin::WorkingDir
        };
        Places {
            index: Located {
                path: flag_index.unwrap_or_else(|| PathBuf::from(INDEX_DIR)),
                origin,
            },
            corpus: None,
            config_file: None,
        }
    }

    /// Whether the index was named on the command line. Such an index is never
    /// built or rebuilt behind the user's back.
    pub fn index_named(&self) -> bool {
        self.index.origin == Origin::Flag
    }

    /// How to address this index in a command the user is told to run: `zhenggai`
    /// followed by `--index DIR` when the index came from the command line (any other
    /// source applies again by itself).
    pub fn program(&self) -> String {
        if self.index_named() {
            format!("zhenggai --index {}", shell_quote(&self.index.path))
        } else {
            "zhenggai".to_string()
        }
    }
}

/// Resolves the index and default corpus. `var` reads an environment variable and
/// `cwd` is the working directory: both are parameters so that tests need not change
/// the process's own.
pub fn resolve(
    flag_index: Option<PathBuf>,
    var: &dyn Fn(&str) -> Option<OsString>,
    cwd: &Path,
) -> Result<Places> {
    let set = |name: &str| var(name).filter(|v| !v.is_empty());
    let home = set("HOME")
        .or_else(|| set("USERPROFILE"))
        .map(PathBuf::from);
    let config_file = match set(CONFIG_ENV) {
        Some(p) => Some(cwd.join(p)),
        None => config_dir(&set, home.as_deref()).map(|d| d.join(APP_DIR).join(CONFIG_FILE)),
    };
    let file = match &config_file {
        Some(path) => read_config(path, set(CONFIG_ENV).is_some(), home.as_deref())?,
        None => FileConfig::default(),
    };
    let from_file = |p: Option<PathBuf>| {
        p.zip(config_file.clone()).map(|(path, file)| Located {
            path,
            origin: Origin::Config(file),
        })
    };
    let from_env = |name: &'static str| {
        set(name).map(|v| Located {
            path: PathBuf::from(v),
            origin: Origin::Env(name),
        })
    };
    let here_index = cwd.join(INDEX_DIR);
    let here_seeds = cwd.join(SEEDS_DIR);
    let checkout = zhenggai::index::store::is_marked(&here_index)
        || zhenggai::index::exists(&here_index)
        || here_seeds.is_dir();
    let index = flag_index
        .map(|path| Located {
            path,
            origin: Origin::Flag,
        })
        .or_else(|| from_env(INDEX_ENV))
        .or_else(|| from_file(file.index))
        .or_else(|| {
            checkout.then(|| Located {
                path: PathBuf::from(INDEX_DIR),
                origin: Origin::WorkingDir,
            })
        })
        .or_else(|| {
            data_dir(&set, home.as_deref()).map(|d| Located {
                path: d.join(APP_DIR).join(INDEX_DIR),
                origin: Origin::DataDir,
            })
        });
    let Some(index) = index else {
        bail!(
            "不知道索引放在哪里：没有 --index、{INDEX_ENV}、配置文件，也找不到用户目录 (no index folder: give --index, set {INDEX_ENV} or write a config file; the home folder is unknown)"
        );
    };
    let corpus = from_env(CORPUS_ENV)
        .or_else(|| from_file(file.corpus))
        .or_else(|| {
            here_seeds.is_dir().then(|| Located {
                path: PathBuf::from(SEEDS_DIR),
                origin: Origin::WorkingDir,
            })
        });
    Ok(Places {
        index,
        corpus,
        config_file,
    })
}

/// The user's config directory.
fn config_dir(set: &dyn Fn(&str) -> Option<OsString>, home: Option<&Path>) -> Option<PathBuf> {
    if cfg!(windows) {
        if let Some(d) = set("APPDATA") {
            return Some(PathBuf::from(d));
        }
    }
    absolute(set("XDG_CONFIG_HOME")).or_else(|| home.map(|h| h.join(".config")))
}

/// The user's data directory.
fn data_dir(set: &dyn Fn(&str) -> Option<OsString>, home: Option<&Path>) -> Option<PathBuf> {
    if cfg!(windows) {
        if let Some(d) = set("LOCALAPPDATA") {
            return Some(PathBuf::from(d));
        }
    }
    absolute(set("XDG_DATA_HOME")).or_else(|| home.map(|h| h.join(".local").join("share")))
}

/// An XDG variable counts only when it is an absolute path (the specification says
/// a relative one is to be ignored).
fn absolute(v: Option<OsString>) -> Option<PathBuf> {
    v.map(PathBuf::from).filter(|p| p.is_absolute())
}

/// Reads the config file. A missing file is no config, unless it was named by
/// `ZHENGGAI_CONFIG`; a file that cannot be read or parsed is an error naming it.
fn read_config(path: &Path, named: bool, home: Option<&Path>) -> Result<FileConfig> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !named => {
            return Ok(FileConfig::default())
        }
        Err(e) => {
            return Err(e).with_context(|| {
                format!(
                    "无法读取配置文件 (cannot read the config file) {}",
                    path.display()
                )
            })
        }
    };
    let mut c: FileConfig = toml::from_str(&text).with_context(|| {
        format!(
            "配置文件 {} 有误，可用的键为 index、corpus (the config file is not valid; its keys are index and corpus)",
            path.display()
        )
    })?;
    let base = path.parent().unwrap_or(Path::new("."));
    let place = |p: PathBuf| -> PathBuf {
        match (p.strip_prefix("~"), home) {
            (Ok(rest), Some(h)) => h.join(rest),
            _ => base.join(p),
        }
    };
    c.index = c.index.filter(|p| !p.as_os_str().is_empty()).map(place);
    c.corpus = c.corpus.filter(|p| !p.as_os_str().is_empty()).map(place);
    Ok(c)
}

/// `path` as a shell word: as is when it has no characters a shell treats
/// specially, else in single quotes.
pub fn shell_quote(path: &Path) -> String {
    let s = path.to_string_lossy();
    let plain = !s.is_empty()
        && s.chars().all(|c| {
            !c.is_whitespace() && !"'\"\\$`!*?[]{}()<>|&;#~".contains(c) && !c.is_control()
        });
    if plain {
        s.into_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn run(flag: Option<&str>, vars: &[(&str, &Path)], cwd: &Path) -> Result<Places> {
        let vars: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_os_str().to_owned()))
            .collect();
        resolve(flag.map(PathBuf::from), &|n| vars.get(n).cloned(), cwd)
    }

    #[test]
    fn precedence_is_flag_env_config_checkout_data_dir() {
        let t = tempfile::tempdir().expect("tempdir");
        let home = t.path().join("home");
        let cwd = t.path().join("work");
        std::fs::create_dir_all(home.join(".config/zhenggai")).expect("mkdir");
        std::fs::create_dir_all(&cwd).expect("mkdir");
        let h: &[(&str, &Path)] = &[("HOME", &home)];
        // Nothing configured, nothing here: the data directory, no corpus.
        let p = run(None, h, &cwd).expect("resolves");
        assert_eq!(p.index.path, home.join(".local/share/zhenggai/index"));
        assert_eq!(p.index.origin, Origin::DataDir);
        assert!(p.corpus.is_none());
        // A checkout: ./index, from ./seeds.
        std::fs::create_dir(cwd.join("seeds")).expect("mkdir");
        let p = run(None, h, &cwd).expect("resolves");
        assert_eq!(p.index.path, PathBuf::from("index"));
        assert_eq!(
            p.corpus.as_ref().map(|c| c.path.clone()),
            Some("seeds".into())
        );
        // The config file beats the checkout; its relative paths are its own.
        let file = home.join(".config/zhenggai/config.toml");
        std::fs::write(&file, "index = \"idx\"\ncorpus = \"~/notices\"\n").expect("write");
        let p = run(None, h, &cwd).expect("resolves");
        assert_eq!(p.index.path, home.join(".config/zhenggai/idx"));
        assert_eq!(p.index.origin, Origin::Config(file.clone()));
        assert_eq!(p.corpus.map(|c| c.path), Some(home.join("notices")));
        // The environment beats the config file, the flag beats everything.
        let env: &[(&str, &Path)] = &[
            ("HOME", &home),
            ("ZHENGGAI_INDEX", Path::new("/e/index")),
            ("ZHENGGAI_CORPUS", Path::new("/e/corpus")),
        ];
        let p = run(None, env, &cwd).expect("resolves");
        assert_eq!(p.index.path, PathBuf::from("/e/index"));
        assert_eq!(
            p.corpus.as_ref().map(|c| c.path.clone()),
            Some("/e/corpus".into())
        );
        assert_eq!(p.program(), "zhenggai");
        let p = run(Some("my index"), env, &cwd).expect("resolves");
        assert_eq!(p.index.path, PathBuf::from("my index"));
        assert!(p.index_named());
        assert_eq!(p.program(), "zhenggai --index 'my index'");
        // XDG directories replace the home folder's defaults.
        std::fs::remove_file(&file).expect("rm");
        std::fs::remove_dir(cwd.join("seeds")).expect("rmdir");
        let xdg: &[(&str, &Path)] = &[("HOME", &home), ("XDG_DATA_HOME", &t.path().join("d"))];
        let p = run(None, xdg, &cwd).expect("resolves");
        assert_eq!(p.index.path, t.path().join("d/zhenggai/index"));
    }

    #[test]
    fn a_bad_config_file_is_an_error_naming_it() {
        let t = tempfile::tempdir().expect("tempdir");
        let file = t.path().join("z.toml");
        std::fs::write(&file, "indx = \"x\"\n").expect("write");
        let vars: &[(&str, &Path)] = &[("ZHENGGAI_CONFIG", &file)];
        let e = run(None, vars, t.path()).expect_err("unknown key");
        assert!(format!("{e:#}").contains("z.toml"), "{e:#}");
        let missing = t.path().join("missing.toml");
        let vars: &[(&str, &Path)] = &[("ZHENGGAI_CONFIG", &missing)];
        let e = run(None, vars, t.path()).expect_err("named but missing");
        assert!(format!("{e:#}").contains("missing.toml"), "{e:#}");
    }

    #[test]
    fn shell_words() {
        assert_eq!(shell_quote(Path::new("index")), "index");
        assert_eq!(shell_quote(Path::new("/a/索引")), "/a/索引");
        assert_eq!(shell_quote(Path::new("a b")), "'a b'");
        assert_eq!(shell_quote(Path::new("it's")), r"'it'\''s'");
    }
}

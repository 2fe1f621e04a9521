//! The whole tree of a catalog: every markdown file parsed (in parallel), navigation files, and
//! the maps that resolve ids, slugs and links.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::model::{Document, DocumentKind, ProblemRecord};
use crate::source::SourceFile;
use crate::{Error, Result};

/// What a reference resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// A markdown document of the tree (index into [`Tree::docs`]).
    Document(usize),
    /// Another file of the tree (an image, a download).
    Asset,
    /// A folder of the tree.
    Folder,
    /// A slug shared by several records.
    Ambiguous(Vec<usize>),
    /// Nothing.
    Missing,
}

/// A loaded catalog tree.
#[derive(Debug)]
pub struct Tree {
    /// The configuration.
    pub config: Config,
    /// Markdown documents, sorted by path.
    pub docs: Vec<Document>,
    /// The record read from each document (`None` for pages), aligned with `docs`.
    /// Shared, so that the search index's writer queues documents that borrow from them.
    pub records: Vec<Option<Arc<ProblemRecord>>>,
    /// Navigation files (`_meta.js`, …), sorted by path.
    pub meta_files: Vec<SourceFile>,
    /// Symbolic links that lead out of the content root (or nowhere): never read, kept with an
    /// empty text so that lint can point at them.
    pub outside_links: Vec<SourceFile>,
    assets: HashSet<String>,
    folders: HashSet<String>,
    by_id: HashMap<String, usize>,
    by_slug: HashMap<String, Vec<usize>>,
}

impl Tree {
    /// Walks the content root and parses every markdown file. Unreadable files are an error;
    /// unparseable ones are kept for lint to report.
    pub fn load(config: Config) -> Result<Tree> {
        let found = discover(&config)?;
        let docs: Vec<Document> = found
            .markdown
            .par_iter()
            .map(|rel| {
                read_source(&config.root, rel)
                    .map(|file| Document::parse(file, kind_of(&config, rel)))
            })
            .collect::<Result<_>>()?;
        let meta_files = found
            .meta
            .iter()
            .map(|rel| read_source(&config.root, rel))
            .collect::<Result<_>>()?;
        let mut tree = Tree::from_parts(config, docs, meta_files, found.assets, found.folders);
        tree.outside_links = found
            .outside_links
            .iter()
            .map(|rel| source_from_bytes(&tree.config.root, rel, Vec::new()))
            .collect();
        Ok(tree)
    }

    /// Builds a tree from documents already parsed (used by tests and by `load`).
    pub fn from_parts(
        config: Config,
        docs: Vec<Document>,
        meta_files: Vec<SourceFile>,
        assets: HashSet<String>,
        mut folders: HashSet<String>,
    ) -> Tree {
        let records = docs
            .par_iter()
            .map(|doc| {
                (doc.kind == DocumentKind::Record)
                    .then(|| Arc::new(ProblemRecord::from_document(doc, &config)))
            })
            .collect();
        let mut by_id = HashMap::new();
        let mut by_slug: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, doc) in docs.iter().enumerate() {
            by_id.entry(doc.id.clone()).or_insert(index);
            if doc.kind == DocumentKind::Record {
                by_slug
                    .entry(doc.slug().to_string())
                    .or_default()
                    .push(index);
            }
            let mut folder = doc.folder();
            while !folder.is_empty() {
                folders.insert(folder.to_string());
                folder = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
            }
        }
        Tree {
            config,
            docs,
            records,
            meta_files,
            outside_links: Vec::new(),
            assets,
            folders,
            by_id,
            by_slug,
        }
    }

    /// Every source file: documents first, then navigation files, then links leaving the root.
    pub fn source(&self, index: usize) -> &SourceFile {
        match self.docs.get(index) {
            Some(doc) => &doc.file,
            None => {
                let index = index - self.docs.len();
                match self.meta_files.get(index) {
                    Some(file) => file,
                    None => &self.outside_links[index - self.meta_files.len()],
                }
            }
        }
    }

    /// The source index of the first link leaving the root (see [`Tree::source`]).
    pub fn outside_links_start(&self) -> usize {
        self.docs.len() + self.meta_files.len()
    }

    /// Number of source files.
    pub fn source_count(&self) -> usize {
        self.docs.len() + self.meta_files.len() + self.outside_links.len()
    }

    /// The document with this id.
    pub fn doc_by_id(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Record ids in path order.
    pub fn record_ids(&self) -> impl Iterator<Item = &str> {
        self.docs
            .iter()
            .filter(|doc| doc.kind == DocumentKind::Record)
            .map(|doc| doc.id.as_str())
    }

    /// Resolves an id typed by a user or written in an edge field: an exact id, or a slug
    /// that names one record.
    pub fn resolve_id(&self, id: &str) -> Resolution {
        if let Some(&index) = self.by_id.get(id) {
            return Resolution::Document(index);
        }
        match self.by_slug.get(id).map(Vec::as_slice) {
            Some([index]) => Resolution::Document(*index),
            Some(many) if many.len() > 1 => Resolution::Ambiguous(many.to_vec()),
            _ => Resolution::Missing,
        }
    }

    /// Resolves the path of an internal link: a document, a folder's index page, a file or a
    /// folder of the tree.
    pub fn resolve_link(&self, path: &str) -> Resolution {
        if let Some(&index) = self.by_id.get(path) {
            return Resolution::Document(index);
        }
        if let Some(&index) = self.by_id.get(&format!("{path}/index")) {
            return Resolution::Document(index);
        }
        if self.assets.contains(path) {
            return Resolution::Asset;
        }
        if self.folders.contains(path) {
            return Resolution::Folder;
        }
        Resolution::Missing
    }

    /// Whether a file (any kind) exists at this path relative to the root.
    pub fn has_file(&self, rel_path: &str) -> bool {
        self.assets.contains(rel_path)
            || self.docs.iter().any(|doc| doc.file.rel_path == rel_path)
            || self.meta_files.iter().any(|meta| meta.rel_path == rel_path)
    }

    /// Whether a folder exists at this path relative to the root.
    pub fn has_folder(&self, rel_path: &str) -> bool {
        self.folders.contains(rel_path)
    }
}

/// The files of a tree, by kind, before anything is read.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Markdown files (records and pages), relative to the root, sorted.
    pub markdown: Vec<String>,
    /// Navigation files.
    pub meta: Vec<String>,
    /// Other files.
    pub assets: HashSet<String>,
    /// Folders.
    pub folders: HashSet<String>,
    /// Symbolic links whose target is outside the root or missing (never read).
    pub outside_links: Vec<String>,
}

/// Walks the content root (honouring `.gitignore` and the configured excludes).
pub fn discover(config: &Config) -> Result<Discovered> {
    let root = &config.root;
    let mut found = Discovered::default();
    let canonical_root = std::fs::canonicalize(root).map_err(|err| Error::io(root, err))?;
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        let entry = entry.map_err(|err| Error::io(root, std::io::Error::other(err.to_string())))?;
        let Some(rel) = relative(root, entry.path()) else {
            continue;
        };
        if rel.is_empty() || config.is_excluded(&rel) {
            continue;
        }
        // Files are read only inside the root: a link out of it could publish any file the
        // process can read.
        if entry.path_is_symlink() && !stays_inside(&canonical_root, entry.path()) {
            found.outside_links.push(rel);
            continue;
        }
        if entry.file_type().is_some_and(|kind| kind.is_dir()) {
            found.folders.insert(rel);
        } else if config.is_markdown(&rel) {
            found.markdown.push(rel);
        } else if config.is_meta_file(&file_name(&rel)) {
            found.meta.push(rel);
        } else {
            found.assets.insert(rel);
        }
    }
    Ok(found)
}

/// Whether `path` resolves to something inside `root` (both canonical).
fn stays_inside(root: &Path, path: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|target| target.starts_with(root))
}

/// Whether a markdown file is a record or a page.
pub fn kind_of(config: &Config, rel: &str) -> DocumentKind {
    if config.is_record(rel) {
        DocumentKind::Record
    } else {
        DocumentKind::Page
    }
}

/// Reads one file of the tree.
pub fn read_source(root: &Path, rel: &str) -> Result<SourceFile> {
    let path = root.join(rel);
    let bytes = std::fs::read(&path).map_err(|err| Error::io(&path, err))?;
    Ok(source_from_bytes(root, rel, bytes))
}

/// A source file from bytes already read; `./a.md` is shown as `a.md`.
pub fn source_from_bytes(root: &Path, rel: &str, bytes: Vec<u8>) -> SourceFile {
    let path = root.join(rel);
    let shown = path
        .strip_prefix(".")
        .map_or_else(|_| path.clone(), Path::to_path_buf);
    SourceFile::from_bytes(shown, rel.to_string(), bytes)
}

fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    Some(rel.to_string_lossy().replace('\\', "/"))
}

fn file_name(rel: &str) -> String {
    rel.rsplit('/').next().unwrap_or(rel).to_string()
}

impl Tree {
    /// The tree with some documents' texts replaced (after fixes), re-parsed and re-resolved.
    pub fn with_texts(self, updates: Vec<(usize, String)>) -> Tree {
        let Tree {
            config,
            mut docs,
            meta_files,
            outside_links,
            assets,
            folders,
            ..
        } = self;
        for (index, text) in updates {
            let old = &docs[index];
            let file = SourceFile::from_bytes(
                old.file.display_path.clone(),
                old.file.rel_path.clone(),
                text.into_bytes(),
            );
            docs[index] = Document::parse(file, old.kind);
        }
        let mut tree = Tree::from_parts(config, docs, meta_files, assets, folders);
        tree.outside_links = outside_links;
        tree
    }
}

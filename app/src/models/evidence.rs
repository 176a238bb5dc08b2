//! Evidence files: what is accepted (an allow-list of types recognised by their first
//! bytes, never by the name or the declared type), the size limit, filename clean-up, and
//! the wire types of the evidence pages.
//!
//! The checks are generic: judgement evidence is one use; a portfolio can reuse them. They
//! compile for the browser too, so the page can refuse an oversized file before sending it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::models::Page;

/// Largest evidence file accepted.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// Longest filename kept (characters, extension included).
pub const NAME_LIMIT: usize = 120;

/// The types accepted, as detected from the file's contents.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaType {
    /// JPEG photo.
    Jpeg,
    /// PNG image.
    Png,
    /// WebP image.
    Webp,
    /// PDF document.
    Pdf,
    /// MP4 video.
    Mp4,
    /// QuickTime (MOV) video.
    Mov,
}

impl MediaType {
    /// Every accepted type.
    pub const ALL: [MediaType; 6] = [
        MediaType::Jpeg,
        MediaType::Png,
        MediaType::Webp,
        MediaType::Pdf,
        MediaType::Mp4,
        MediaType::Mov,
    ];

    /// The MIME type sent with the file.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Webp => "image/webp",
            MediaType::Pdf => "application/pdf",
            MediaType::Mp4 => "video/mp4",
            MediaType::Mov => "video/quicktime",
        }
    }

    /// Reads a stored MIME type.
    pub fn from_mime(mime: &str) -> Option<MediaType> {
        MediaType::ALL.into_iter().find(|m| m.mime() == mime)
    }

    /// The usual extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Jpeg => "jpg",
            MediaType::Png => "png",
            MediaType::Webp => "webp",
            MediaType::Pdf => "pdf",
            MediaType::Mp4 => "mp4",
            MediaType::Mov => "mov",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            MediaType::Jpeg => "JPEG image",
            MediaType::Png => "PNG image",
            MediaType::Webp => "WebP image",
            MediaType::Pdf => "PDF document",
            MediaType::Mp4 => "MP4 video",
            MediaType::Mov => "QuickTime video",
        }
    }
}

/// Why a file was refused. Each has a code (carried in a URL without JavaScript) and a
/// message that says what to do.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rejection {
    /// No file chosen, or an empty one.
    Empty,
    /// Over [`MAX_BYTES`].
    TooLarge,
    /// An SVG image (can carry scripts).
    Svg,
    /// HTML or XML.
    Html,
    /// A program (Windows, Linux or macOS).
    Executable,
    /// A ZIP archive (or an Office document, which is one).
    Archive,
    /// A GIF image.
    Gif,
    /// A HEIC or AVIF photo.
    Heic,
    /// Anything else.
    Unknown,
    /// The upload could not be read.
    Unreadable,
    /// The name holds a folder path (`..`) or control characters: not what a browser sends.
    Name,
}

const ACCEPTED: &str = "JPEG, PNG, WebP, PDF, MP4 or MOV";

impl Rejection {
    /// Every reason.
    pub const ALL: [Rejection; 11] = [
        Rejection::Empty,
        Rejection::TooLarge,
        Rejection::Svg,
        Rejection::Html,
        Rejection::Executable,
        Rejection::Archive,
        Rejection::Gif,
        Rejection::Heic,
        Rejection::Unknown,
        Rejection::Unreadable,
        Rejection::Name,
    ];

    /// The code carried in `?error=`.
    pub fn code(self) -> &'static str {
        match self {
            Rejection::Empty => "empty",
            Rejection::TooLarge => "too_large",
            Rejection::Svg => "svg",
            Rejection::Html => "html",
            Rejection::Executable => "executable",
            Rejection::Archive => "archive",
            Rejection::Gif => "gif",
            Rejection::Heic => "heic",
            Rejection::Unknown => "unknown",
            Rejection::Unreadable => "unreadable",
            Rejection::Name => "name",
        }
    }

    /// Reads a code back.
    pub fn from_code(code: &str) -> Option<Rejection> {
        Rejection::ALL.into_iter().find(|r| r.code() == code)
    }

    /// What the person uploading reads, beside the file field.
    pub fn message(self) -> String {
        match self {
            Rejection::Empty => "Choose a file to upload: the file was missing or empty.".into(),
            Rejection::TooLarge => format!(
                "The file is larger than {} MB. Upload a smaller photo or a shorter video.",
                MAX_BYTES / (1024 * 1024)
            ),
            Rejection::Svg => "SVG images are not accepted: they can carry scripts. Upload a PNG or JPEG instead.".into(),
            Rejection::Html => format!("This file is not a {ACCEPTED}: its contents look like a web page (HTML or XML)."),
            Rejection::Executable => format!("This file is not a {ACCEPTED}: its contents look like a program."),
            Rejection::Archive => format!("This file is not a {ACCEPTED}: its contents look like a ZIP archive or an Office document. Save documents as PDF."),
            Rejection::Gif => format!("GIF images are not accepted. Upload a {ACCEPTED} instead."),
            Rejection::Heic => "HEIC and AVIF photos are not accepted. Set the camera to \"Most compatible\" or export the photo as JPEG.".into(),
            Rejection::Unknown => format!("This file is not a {ACCEPTED}: its contents were not recognised, whatever its name says."),
            Rejection::Unreadable => "The upload could not be read. Try again.".into(),
            Rejection::Name => "The file's name contains a folder path (\"..\") or control characters. Rename the file and upload it again.".into(),
        }
    }
}

fn starts(bytes: &[u8], magic: &[u8]) -> bool {
    bytes.len() >= magic.len() && &bytes[..magic.len()] == magic
}

/// The type of a file from its first bytes: one of the allow-list, or why it is refused.
/// The name and the declared type play no part.
pub fn detect(bytes: &[u8]) -> Result<MediaType, Rejection> {
    if bytes.is_empty() {
        return Err(Rejection::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Rejection::TooLarge);
    }
    if starts(bytes, &[0xFF, 0xD8, 0xFF]) {
        return Ok(MediaType::Jpeg);
    }
    if starts(bytes, &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        return Ok(MediaType::Png);
    }
    if starts(bytes, b"RIFF") && bytes.len() >= 12 && &bytes[8..12] == b"WEBP" {
        return Ok(MediaType::Webp);
    }
    if starts(bytes, b"%PDF-") {
        return Ok(MediaType::Pdf);
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        return match brand {
            b"qt  " => Ok(MediaType::Mov),
            b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"mif1" | b"msf1" | b"avif"
            | b"avis" => Err(Rejection::Heic),
            _ if brand.iter().all(|b| b.is_ascii_graphic() || *b == b' ') => Ok(MediaType::Mp4),
            _ => Err(Rejection::Unknown),
        };
    }
    if starts(bytes, b"GIF87a") || starts(bytes, b"GIF89a") {
        return Err(Rejection::Gif);
    }
    if starts(bytes, b"MZ")
        || starts(bytes, b"\x7FELF")
        || starts(bytes, &[0xCF, 0xFA, 0xED, 0xFE])
        || starts(bytes, &[0xCE, 0xFA, 0xED, 0xFE])
        || starts(bytes, &[0xCA, 0xFE, 0xBA, 0xBE])
        || starts(bytes, b"#!")
    {
        return Err(Rejection::Executable);
    }
    if starts(bytes, b"PK\x03\x04") || starts(bytes, b"PK\x05\x06") || starts(bytes, b"PK\x07\x08")
    {
        return Err(Rejection::Archive);
    }
    // Text-like files: look past a byte-order mark and white space.
    let text = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let head: Vec<u8> = text
        .iter()
        .copied()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(512)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    let contains = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if contains(b"<svg") {
        return Err(Rejection::Svg);
    }
    if head.starts_with(b"<") {
        return Err(Rejection::Html);
    }
    Err(Rejection::Unknown)
}

/// Refuses a name no browser would send: one climbing folders (`..` between slashes or
/// backslashes) or holding control characters (NUL, line breaks). Other oddities are
/// cleaned by [`sanitize_filename`].
pub fn check_filename(name: &str) -> Result<(), Rejection> {
    if name.chars().any(char::is_control) || name.split(['/', '\\']).any(|part| part.trim() == "..")
    {
        Err(Rejection::Name)
    } else {
        Ok(())
    }
}

/// A filename safe to keep and to send back: its last path part only (no folders, `..`,
/// drive letters), no control characters or `<>:"/\|?*`, no leading dots, at most
/// [`NAME_LIMIT`] characters, and ending in the detected type's extension. An empty
/// result becomes `evidence.<ext>`.
pub fn sanitize_filename(name: &str, media: MediaType) -> String {
    let base = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .rsplit(':')
        .next()
        .unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*')
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_owned();
    let ext = media.extension();
    let (stem, given_ext) = match cleaned.rsplit_once('.') {
        Some((stem, e)) if !stem.is_empty() => (
            stem.trim_end_matches('.').to_owned(),
            e.to_ascii_lowercase(),
        ),
        _ => (cleaned.clone(), String::new()),
    };
    let same = given_ext == ext
        || (media == MediaType::Jpeg && given_ext == "jpeg")
        || (media == MediaType::Mp4 && given_ext == "m4v");
    let (stem, ext) = if same {
        (stem, given_ext)
    } else {
        (cleaned, ext.to_owned())
    };
    let stem = if stem.trim().is_empty() {
        "evidence".to_owned()
    } else {
        stem
    };
    let room = NAME_LIMIT.saturating_sub(ext.chars().count() + 1);
    let stem: String = stem.chars().take(room).collect();
    format!("{}.{ext}", stem.trim_end())
}

/// The size in people's units: `532 bytes`, `14 KB`, `3.4 MB`.
pub fn human_size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if b < 1024.0 {
        format!("{bytes} bytes")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.0} KB", b / 1024.0)
    } else {
        format!("{:.1} MB", b / (1024.0 * 1024.0))
    }
}

/// One evidence file as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceRow {
    /// The evidence link's id (the download is `/evidence/files/<id>`).
    pub id: i64,
    /// The cleaned filename.
    pub filename: String,
    /// The detected type's MIME type.
    pub media_type: String,
    /// Bytes.
    pub size: i64,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// When.
    pub uploaded_at: DateTime<Utc>,
}

impl EvidenceRow {
    /// Where it downloads from.
    pub fn href(&self) -> String {
        format!("/evidence/files/{}", self.id)
    }

    /// The type as people read it.
    pub fn type_label(&self) -> &'static str {
        MediaType::from_mime(&self.media_type).map_or("File", MediaType::label)
    }
}

/// The judgement the evidence belongs to, as the page heads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgementSummary {
    /// The judgement.
    pub id: i64,
    /// The learner.
    pub learner_id: i64,
    /// The learner's name.
    pub learner_name: String,
    /// Unit code and title.
    pub unit: String,
    /// The task's title.
    pub task: String,
    /// The task's kind, as people read it.
    pub task_kind: String,
    /// Attempt number.
    pub attempt: i32,
    /// The judgement's outcome, as people read it.
    pub outcome: String,
    /// When it was assessed.
    pub assessed_on: NaiveDate,
    /// Who assessed.
    pub assessor: String,
}

/// The evidence page: the judgement, a page of its files, and what the caller may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgementEvidence {
    /// The judgement.
    pub judgement: JudgementSummary,
    /// Its evidence, newest first.
    pub files: Page<EvidenceRow>,
    /// Whether the caller may upload and remove.
    pub can_write: bool,
}

/// What the upload answers a script with (JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadAnswer {
    /// The new evidence's id, when stored.
    pub id: Option<i64>,
    /// Why it was refused, when it was.
    pub error: Option<String>,
    /// The refusal's code.
    pub code: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    #[test]
    fn allowed_types_are_recognised_by_their_bytes() {
        assert_eq!(
            detect(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 16]),
            Ok(MediaType::Jpeg)
        );
        assert_eq!(detect(PNG), Ok(MediaType::Png));
        assert_eq!(detect(b"RIFF\x10\0\0\0WEBPVP8 "), Ok(MediaType::Webp));
        assert_eq!(detect(b"%PDF-1.7\n%\xE2\xE3"), Ok(MediaType::Pdf));
        assert_eq!(detect(b"\0\0\0\x20ftypisom\0\0\x02\0"), Ok(MediaType::Mp4));
        assert_eq!(detect(b"\0\0\0\x14ftypqt  \0\0\0\0"), Ok(MediaType::Mov));
    }

    #[test]
    fn everything_else_is_refused_with_its_reason() {
        assert_eq!(detect(b""), Err(Rejection::Empty));
        assert_eq!(detect(b"<!doctype html><script>"), Err(Rejection::Html));
        assert_eq!(detect(b"\xEF\xBB\xBF  <HTML>"), Err(Rejection::Html));
        assert_eq!(
            detect(b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"),
            Err(Rejection::Svg)
        );
        assert_eq!(detect(b"<svg onload=alert(1)>"), Err(Rejection::Svg));
        assert_eq!(detect(b"GIF89a/*\0\0*/=alert(1)//"), Err(Rejection::Gif));
        assert_eq!(detect(b"<html>%PDF-1.4"), Err(Rejection::Html));
        assert_eq!(detect(b"MZ\x90\0"), Err(Rejection::Executable));
        assert_eq!(detect(b"\x7FELF\x02\x01"), Err(Rejection::Executable));
        assert_eq!(detect(b"PK\x03\x04\x14\0"), Err(Rejection::Archive));
        assert_eq!(detect(b"\0\0\0\x18ftypheic\0\0\0\0"), Err(Rejection::Heic));
        assert_eq!(detect(b"hello, world"), Err(Rejection::Unknown));
        assert_eq!(detect(&[0xFF, 0xD8]), Err(Rejection::Unknown));
        let big = vec![0xFF; MAX_BYTES + 1];
        assert_eq!(detect(&big), Err(Rejection::TooLarge));
    }

    #[test]
    fn every_reason_has_a_code_and_a_message() {
        for r in Rejection::ALL {
            assert_eq!(Rejection::from_code(r.code()), Some(r));
            assert!(!r.message().is_empty());
        }
        assert!(Rejection::Svg.message().contains("scripts"));
        assert!(Rejection::Html.message().contains("HTML"));
    }

    #[test]
    fn filenames_lose_paths_and_dangerous_characters() {
        let png = MediaType::Png;
        assert_eq!(sanitize_filename("../../etc/passwd.png", png), "passwd.png");
        assert_eq!(sanitize_filename("..\\..\\x.png", png), "x.png");
        assert_eq!(
            sanitize_filename("C:\\Users\\me\\site.PNG", png),
            "site.png"
        );
        assert_eq!(sanitize_filename("c:evil.png", png), "evil.png");
        assert_eq!(sanitize_filename("a\0b\r\n<c>|?*\".png", png), "abc.png");
        assert_eq!(sanitize_filename("", png), "evidence.png");
        assert_eq!(sanitize_filename("..", png), "evidence.png");
        assert_eq!(sanitize_filename(".htaccess", png), "htaccess.png");
        assert_eq!(sanitize_filename("photo.jpg", png), "photo.jpg.png");
        assert_eq!(
            sanitize_filename("wall frame.jpeg", MediaType::Jpeg),
            "wall frame.jpeg"
        );
        assert_eq!(sanitize_filename("report", MediaType::Pdf), "report.pdf");
        let long = "x".repeat(500) + ".png";
        let cut = sanitize_filename(&long, png);
        assert_eq!(cut.chars().count(), NAME_LIMIT);
        assert!(cut.ends_with(".png"));
        assert_eq!(
            sanitize_filename("Übung – Wand.png", png),
            "Übung – Wand.png"
        );
    }

    #[test]
    fn names_climbing_folders_or_with_control_characters_are_refused() {
        assert_eq!(check_filename("../../etc/passwd.jpg"), Err(Rejection::Name));
        assert_eq!(check_filename("..\\..\\x.png"), Err(Rejection::Name));
        assert_eq!(check_filename("photo\0.png"), Err(Rejection::Name));
        assert_eq!(check_filename("photo\n.png"), Err(Rejection::Name));
        assert_eq!(check_filename("C:\\fakepath\\photo.png"), Ok(()));
        assert_eq!(check_filename("wall..frame.png"), Ok(()));
        assert_eq!(check_filename(""), Ok(()));
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(532), "532 bytes");
        assert_eq!(human_size(14 * 1024), "14 KB");
        assert_eq!(human_size(3_565_158), "3.4 MB");
    }
}

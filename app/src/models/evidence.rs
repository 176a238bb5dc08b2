//! Evidence files: what is accepted (an allow-list of types recognised by their bytes,
//! never by the name or the declared type, and checked to hold together as that type and
//! nothing else: no polyglots, no trailing data, no PDF scripts, no archives), the size
//! limit, filename checks and clean-up, and the wire types of the evidence pages.
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
/// message that says what was found and what to do.
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
    /// A compressed archive other than ZIP: gzip, 7z, RAR, bzip2, xz, zstd, tar, cab.
    Compressed,
    /// An allowed type that also carries a ZIP archive (a polyglot).
    HiddenArchive,
    /// An allowed type with web page markup near its start, which a browser could sniff.
    HiddenMarkup,
    /// A picture or video that also carries a PDF document.
    HiddenPdf,
    /// Data after the end of a picture (after a JPEG's end marker, a PNG's `IEND`, a WebP's
    /// RIFF size).
    TrailingData,
    /// A JPEG whose segments do not hold together (damaged, cut short or disguised).
    BrokenJpeg,
    /// A PNG whose chunks do not hold together.
    BrokenPng,
    /// A WebP whose RIFF framing does not hold together.
    BrokenWebp,
    /// An MP4 or MOV whose boxes do not hold together.
    BrokenVideo,
    /// A PDF with scripts, launch actions, embedded files, rich media or XFA forms.
    PdfActive,
    /// A name hiding a program, script or web page extension: `photo.jpg.exe`, `x.php.png`.
    DoubleExtension,
    /// A name with bidirectional-text controls (U+202E …), which can disguise its extension.
    BidiName,
}

const ACCEPTED: &str = "JPEG, PNG, WebP, PDF, MP4 or MOV";

impl Rejection {
    /// Every reason.
    pub const ALL: [Rejection; 23] = [
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
        Rejection::Compressed,
        Rejection::HiddenArchive,
        Rejection::HiddenMarkup,
        Rejection::HiddenPdf,
        Rejection::TrailingData,
        Rejection::BrokenJpeg,
        Rejection::BrokenPng,
        Rejection::BrokenWebp,
        Rejection::BrokenVideo,
        Rejection::PdfActive,
        Rejection::DoubleExtension,
        Rejection::BidiName,
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
            Rejection::Compressed => "compressed",
            Rejection::HiddenArchive => "hidden_archive",
            Rejection::HiddenMarkup => "hidden_markup",
            Rejection::HiddenPdf => "hidden_pdf",
            Rejection::TrailingData => "trailing_data",
            Rejection::BrokenJpeg => "broken_jpeg",
            Rejection::BrokenPng => "broken_png",
            Rejection::BrokenWebp => "broken_webp",
            Rejection::BrokenVideo => "broken_video",
            Rejection::PdfActive => "pdf_active",
            Rejection::DoubleExtension => "double_extension",
            Rejection::BidiName => "bidi_name",
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
            Rejection::Archive => "Archives are not accepted: upload the files themselves. This file looks like a ZIP archive or an Office document (save documents as PDF).".into(),
            Rejection::Gif => format!("GIF images are not accepted. Upload a {ACCEPTED} instead."),
            Rejection::Heic => "HEIC and AVIF photos are not accepted. Set the camera to \"Most compatible\" or export the photo as JPEG.".into(),
            Rejection::Unknown => format!("This file is not a {ACCEPTED}: its contents were not recognised, whatever its name says."),
            Rejection::Unreadable => "The upload could not be read. Try again.".into(),
            Rejection::Name => "The file's name contains a folder path (\"..\") or control characters. Rename the file and upload it again.".into(),
            Rejection::Compressed => "Archives are not accepted: upload the files themselves. This file looks like a compressed archive (gzip, 7z, RAR, bzip2, xz, zstd, tar or cab).".into(),
            Rejection::HiddenArchive => "This file has a ZIP archive hidden in it (inside or after the picture, document or video), so it could be opened as something else. Export the photo or save the document again, and upload that copy.".into(),
            Rejection::HiddenMarkup => "This file has web page code (HTML, SVG or script) hidden near its start, which a browser could run. Export the photo or save the document again, and upload that copy.".into(),
            Rejection::HiddenPdf => "This picture or video has a PDF document hidden in it. Export the photo or video again and upload that copy, or upload the PDF on its own.".into(),
            Rejection::TrailingData => "This image has other data hidden after the picture (some phones add a short video to \"motion photos\"). Export or share the photo again as a still image, and upload that copy.".into(),
            Rejection::BrokenJpeg => "This JPEG image is damaged or incomplete: its inner structure does not hold together. Export the photo again and upload that copy.".into(),
            Rejection::BrokenPng => "This PNG image is damaged or incomplete: its inner structure does not hold together. Export the image again and upload that copy.".into(),
            Rejection::BrokenWebp => "This WebP image is damaged or incomplete: its size does not match its contents. Export the image again (or as JPEG) and upload that copy.".into(),
            Rejection::BrokenVideo => "This video is damaged or incomplete: its inner structure does not hold together. Export or share the video again as MP4 and upload that copy.".into(),
            Rejection::PdfActive => "PDF files with scripts or embedded files are not accepted. Print or export the document to PDF again without attachments or form scripts, and upload that copy.".into(),
            Rejection::DoubleExtension => "The file's name hides a program, script or web page extension (like \"photo.jpg.exe\" or \"cv.pdf.html\"). Rename the file so it ends only in .jpg, .png, .webp, .pdf, .mp4 or .mov, and upload it again.".into(),
            Rejection::BidiName => "The file's name contains invisible text-direction characters, which can hide its real extension. Rename the file and upload it again.".into(),
        }
    }
}

fn starts(bytes: &[u8], magic: &[u8]) -> bool {
    bytes.len() >= magic.len() && &bytes[..magic.len()] == magic
}

fn be16(b: &[u8], at: usize) -> Option<usize> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(usize::from(u16::from_be_bytes([s[0], s[1]])))
}

fn be32(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u64::from(u32::from_be_bytes([s[0], s[1], s[2], s[3]])))
}

fn le16(b: &[u8], at: usize) -> Option<usize> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(usize::from(u16::from_le_bytes([s[0], s[1]])))
}

fn le32(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u64::from(u32::from_le_bytes([s[0], s[1], s[2], s[3]])))
}

/// The type of a file from its bytes: one of the allow-list, or why it is refused. The name
/// and the declared type play no part.
///
/// The first bytes pick the type; an allowed type must then hold together as that type
/// from its first byte to its last (JPEG segments to the end marker, PNG chunks to `IEND`,
/// the WebP RIFF size, MP4/MOV top-level boxes), and must not also be something else: no
/// ZIP archive anywhere, no web page markup in its first kilobyte, no PDF inside a picture
/// or video, and no scripts or embedded files in a PDF. Every check is one linear pass
/// without allocation; nothing is ever decompressed.
pub fn detect(bytes: &[u8]) -> Result<MediaType, Rejection> {
    if bytes.is_empty() {
        return Err(Rejection::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Rejection::TooLarge);
    }
    let media = sniff(bytes)?;
    if has_markup(bytes) {
        return Err(Rejection::HiddenMarkup);
    }
    if has_zip(bytes) {
        return Err(Rejection::HiddenArchive);
    }
    match media {
        MediaType::Jpeg => check_jpeg(bytes)?,
        MediaType::Png => check_png(bytes)?,
        MediaType::Webp => check_webp(bytes)?,
        MediaType::Mp4 | MediaType::Mov => check_boxes(bytes)?,
        MediaType::Pdf => check_pdf(bytes)?,
    }
    if media != MediaType::Pdf && has_pdf_header(bytes) {
        return Err(Rejection::HiddenPdf);
    }
    Ok(media)
}

/// The type named by the first bytes, or why they are refused.
fn sniff(bytes: &[u8]) -> Result<MediaType, Rejection> {
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
    let bzip2 = starts(bytes, b"BZh") && bytes.get(3).is_some_and(|b| (b'1'..=b'9').contains(b));
    if starts(bytes, &[0x1F, 0x8B])
        || starts(bytes, b"7z\xBC\xAF\x27\x1C")
        || starts(bytes, b"Rar!\x1A\x07")
        || bzip2
        || starts(bytes, &[0xFD, b'7', b'z', b'X', b'Z', 0x00])
        || starts(bytes, &[0x28, 0xB5, 0x2F, 0xFD])
        || starts(bytes, b"MSCF\0\0\0\0")
        || starts(bytes, b"LZIP")
        || bytes.get(257..262) == Some(b"ustar")
    {
        return Err(Rejection::Compressed);
    }
    // Text-like files: look past a byte-order mark and white space.
    let text = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    let head = &text[start..text.len().min(start + 512)];
    if find_ci(head, b"<svg").is_some() {
        return Err(Rejection::Svg);
    }
    if head.starts_with(b"<") {
        return Err(Rejection::Html);
    }
    Err(Rejection::Unknown)
}

/// Where `needle` (lowercase ASCII) first occurs in `hay`, ignoring ASCII case.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| {
        hay[i..i + needle.len()]
            .iter()
            .zip(needle)
            .all(|(h, n)| h.to_ascii_lowercase() == *n)
    })
}

/// Markup a browser would sniff as a web page, in the first kilobyte.
fn has_markup(bytes: &[u8]) -> bool {
    const TAGS: [&[u8]; 7] = [
        b"<html",
        b"<script",
        b"<svg",
        b"<!doctype html",
        b"<body",
        b"<iframe",
        b"<head",
    ];
    let head = &bytes[..bytes.len().min(1024)];
    memchr::memchr_iter(b'<', head).any(|i| {
        let rest = &head[i..];
        TAGS.iter().any(|tag| {
            rest.len() >= tag.len()
                && rest[..tag.len()]
                    .iter()
                    .zip(tag.iter())
                    .all(|(h, t)| h.to_ascii_lowercase() == *t)
        })
    })
}

/// A ZIP archive anywhere: a local file header or an end-of-central-directory record whose
/// fields are those of a real archive (so four random bytes in a photo are not mistaken
/// for one).
fn has_zip(bytes: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, b"PK").any(|i| match bytes.get(i + 2..i + 4) {
        Some([3, 4]) => zip_local_header(bytes, i),
        Some([5, 6]) => zip_end_record(bytes, i),
        _ => false,
    })
}

fn zip_local_header(b: &[u8], at: usize) -> bool {
    let (Some(version), Some(method), Some(name_len)) =
        (le16(b, at + 4), le16(b, at + 8), le16(b, at + 26))
    else {
        return false;
    };
    let known_method = matches!(method, 0..=9 | 12 | 14 | 18 | 19 | 93..=99);
    let name = b.get(at + 30..at + 30 + name_len);
    version <= 63
        && known_method
        && (1..=1024).contains(&name_len)
        && name.is_some_and(|n| memchr::memchr(0, n).is_none())
}

fn zip_end_record(b: &[u8], at: usize) -> bool {
    let fields = (
        le16(b, at + 4),
        le16(b, at + 6),
        le16(b, at + 8),
        le16(b, at + 10),
        le32(b, at + 12),
        le16(b, at + 20),
    );
    let (Some(disk), Some(cd_disk), Some(here), Some(total), Some(cd_size), Some(comment)) = fields
    else {
        return false;
    };
    let single_disk = (disk == 0 && cd_disk == 0) || (disk == 0xFFFF && cd_disk == 0xFFFF);
    single_disk
        && here == total
        && (cd_size <= at as u64 || cd_size == 0xFFFF_FFFF)
        && at + 22 + comment <= b.len()
}

/// A PDF header where a PDF reader looks for one (the first kilobyte).
fn has_pdf_header(bytes: &[u8]) -> bool {
    memchr::memmem::find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some()
}

/// Bytes after the end of a picture that are only padding (zeros, or `0xFF` fill).
fn only_padding(rest: &[u8]) -> bool {
    rest.iter().all(|&b| b == 0) || rest.iter().all(|&b| b == 0xFF)
}

/// JPEG: segments (marker + length) to the start of scan, entropy-coded data to the next
/// marker, and so on to the end-of-image marker. After it only padding, or further whole
/// JPEG images (multi-picture files from phones: depth maps, previews).
fn check_jpeg(bytes: &[u8]) -> Result<(), Rejection> {
    let mut at = 0;
    for _ in 0..16 {
        at = jpeg_image_end(bytes, at)?;
        let rest = &bytes[at..];
        let next = rest.iter().position(|&b| b != 0).unwrap_or(rest.len());
        if starts(&rest[next..], &[0xFF, 0xD8, 0xFF]) {
            at += next;
            continue;
        }
        return if only_padding(rest) {
            Ok(())
        } else {
            Err(Rejection::TrailingData)
        };
    }
    Err(Rejection::TrailingData)
}

/// Where the JPEG image starting at `start` ends (just after its `FF D9`).
fn jpeg_image_end(b: &[u8], start: usize) -> Result<usize, Rejection> {
    let broken = Rejection::BrokenJpeg;
    let mut at = start + 2; // after SOI
    loop {
        // A marker: 0xFF (fill bytes allowed), then its code.
        if b.get(at) != Some(&0xFF) {
            return Err(broken);
        }
        while b.get(at) == Some(&0xFF) {
            at += 1;
        }
        let marker = *b.get(at).ok_or(broken)?;
        at += 1;
        match marker {
            0xD9 => return Ok(at),
            0x00 | 0xD8 => return Err(broken),
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let len = be16(b, at).ok_or(broken)?;
        if len < 2 || at + len > b.len() {
            return Err(broken);
        }
        at += len;
        if marker == 0xDA {
            // Entropy-coded data: runs to the next 0xFF that is not a stuffed zero, a
            // restart marker or fill.
            loop {
                let ff = memchr::memchr(0xFF, &b[at..]).ok_or(broken)?;
                at += ff;
                match b.get(at + 1) {
                    None => return Err(broken),
                    Some(0x00 | 0xD0..=0xD7) => at += 2,
                    Some(_) => break,
                }
            }
        }
    }
}

/// PNG: the signature, then chunks (length, four-letter type, data, CRC) from `IHDR` to
/// `IEND`; the CRCs of `IHDR` and `IEND` are checked; after `IEND` only padding.
fn check_png(b: &[u8]) -> Result<(), Rejection> {
    let broken = Rejection::BrokenPng;
    let mut at = 8;
    let mut first = true;
    loop {
        let len = be32(b, at).ok_or(broken)?;
        if len > 0x7FFF_FFFF {
            return Err(broken);
        }
        let len = len as usize;
        let kind = b.get(at + 4..at + 8).ok_or(broken)?;
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(broken);
        }
        let end = at + 12 + len;
        if end > b.len() {
            return Err(broken);
        }
        let (is_ihdr, is_iend) = (kind == b"IHDR", kind == b"IEND");
        if first != is_ihdr || (is_ihdr && len != 13) || (is_iend && len != 0) {
            return Err(broken);
        }
        if (is_ihdr || is_iend) && be32(b, end - 4) != Some(u64::from(crc32(&b[at + 4..end - 4]))) {
            return Err(broken);
        }
        first = false;
        at = end;
        if is_iend {
            return if only_padding(&b[at..]) {
                Ok(())
            } else {
                Err(Rejection::TrailingData)
            };
        }
    }
}

/// CRC-32 as PNG uses it (only for the small chunks checked; bit by bit is fine there).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// WebP: the RIFF size is the file's length less eight (more is data after the picture,
/// less is a file cut short), and the chunks inside it fit exactly.
fn check_webp(b: &[u8]) -> Result<(), Rejection> {
    let broken = Rejection::BrokenWebp;
    let size = le32(b, 4).ok_or(broken)? as usize;
    let end = size.checked_add(8).ok_or(broken)?;
    if end > b.len() || size < 4 {
        return Err(broken);
    }
    let mut at = 12;
    while at < end {
        let len = le32(b, at + 4).ok_or(broken)? as usize;
        let kind = b.get(at..at + 4).ok_or(broken)?;
        if !kind.iter().all(|c| c.is_ascii_alphanumeric() || *c == b' ') {
            return Err(broken);
        }
        at = at
            .checked_add(8 + len + (len & 1))
            .filter(|&n| n <= end)
            .ok_or(broken)?;
    }
    if end < b.len() {
        return Err(Rejection::TrailingData);
    }
    Ok(())
}

/// MP4 and MOV: top-level boxes (32-bit size, or 1 and a 64-bit size, or 0 for "to the
/// end") with printable types, laid end to end to the file's last byte.
fn check_boxes(b: &[u8]) -> Result<(), Rejection> {
    let broken = Rejection::BrokenVideo;
    let mut at = 0usize;
    while at < b.len() {
        let rest = &b[at..];
        if rest.len() < 8 {
            return if rest.iter().all(|&c| c == 0) {
                Ok(())
            } else {
                Err(broken)
            };
        }
        let kind = &rest[4..8];
        if !kind.iter().all(|c| (0x20..0x7F).contains(c) || *c == 0xA9) {
            return Err(broken);
        }
        let size = match be32(rest, 0).ok_or(broken)? {
            0 => rest.len() as u64,
            1 => {
                let hi = be32(rest, 8).ok_or(broken)?;
                let lo = be32(rest, 12).ok_or(broken)?;
                let size = (hi << 32) | lo;
                if size < 16 {
                    return Err(broken);
                }
                size
            }
            n if n < 8 => return Err(broken),
            n => n,
        };
        if size > rest.len() as u64 {
            return Err(broken);
        }
        at += size as usize;
    }
    Ok(())
}

/// PDF: no active content. Every name (`/Name`, with `#xx` escapes decoded) is compared
/// with those that run scripts, launch programs or carry other files.
fn check_pdf(b: &[u8]) -> Result<(), Rejection> {
    // `/OpenAction` and `/AA` alone are fine ("open at page 1"); when they run a script
    // it is named by `/JS` or `/JavaScript`.
    const ACTIVE: [&[u8]; 7] = [
        b"JavaScript",
        b"JS",
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"RichMedia",
        b"XFA",
    ];
    let mut buf = [0u8; 16];
    for slash in memchr::memchr_iter(b'/', b) {
        // Decode the name into a small buffer; names longer than the longest listed
        // cannot match.
        let mut len = 0usize;
        let mut at = slash + 1;
        let mut too_long = false;
        while let Some(&c) = b.get(at) {
            if c <= b' ' || b"/()<>[]{}%".contains(&c) || c >= 0x7F {
                break;
            }
            let (byte, step) = if c == b'#' {
                match (b.get(at + 1), b.get(at + 2)) {
                    (Some(&h), Some(&l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {
                        ((hex(h) << 4) | hex(l), 3)
                    }
                    _ => (c, 1),
                }
            } else {
                (c, 1)
            };
            if len == buf.len() {
                too_long = true;
                break;
            }
            buf[len] = byte;
            len += 1;
            at += step;
        }
        if too_long || len == 0 {
            continue;
        }
        let name = &buf[..len];
        if ACTIVE.contains(&name) {
            return Err(Rejection::PdfActive);
        }
    }
    Ok(())
}

fn hex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c - b'A' + 10,
    }
}

/// Extensions that run or render as something other than a file to look at.
const DANGEROUS_EXTENSIONS: [&str; 24] = [
    "exe", "bat", "cmd", "com", "scr", "js", "mjs", "vbs", "ps1", "sh", "php", "phtml", "asp",
    "aspx", "jsp", "html", "htm", "xhtml", "svg", "hta", "jar", "msi", "dll", "apk",
];

/// Characters that reorder text: `photo` + U+202E + `gnp.exe` reads as `photoexe.png`.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Refuses a name no browser would send: one climbing folders (`..` between slashes or
/// backslashes) or holding control characters (NUL, line breaks); one with bidirectional
/// text controls (which can disguise the extension); and one whose chain of extensions
/// (two or more) holds a program, script or web page extension (`photo.jpg.exe`,
/// `cv.pdf.html`, `x.php.png`). A single extension is left to the contents to decide
/// (`logo.svg` is refused as an SVG, `photo.jpg` holding a PNG is kept as a PNG). Other
/// oddities are cleaned by [`sanitize_filename`].
pub fn check_filename(name: &str) -> Result<(), Rejection> {
    if name.chars().any(char::is_control) || name.split(['/', '\\']).any(|part| part.trim() == "..")
    {
        return Err(Rejection::Name);
    }
    if name.chars().any(is_bidi_control) {
        return Err(Rejection::BidiName);
    }
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    // Windows drops trailing dots and spaces, so `photo.png.exe.` is `photo.png.exe`.
    let base = base.trim_end_matches(['.', ' ']).trim_start_matches('.');
    let mut parts = base.split('.');
    parts.next(); // the stem
    let chain: Vec<&str> = parts.map(str::trim).collect();
    let dangerous = chain.iter().any(|ext| {
        DANGEROUS_EXTENSIONS
            .iter()
            .any(|d| ext.eq_ignore_ascii_case(d))
    });
    if chain.len() >= 2 && dangerous {
        return Err(Rejection::DoubleExtension);
    }
    Ok(())
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

    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut crc_input = kind.to_vec();
        crc_input.extend_from_slice(data);
        out.extend_from_slice(&crc_input);
        out.extend(crc32(&crc_input).to_be_bytes());
    }

    /// A minimal PNG: IHDR, one IDAT, IEND.
    fn png() -> Vec<u8> {
        let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        chunk(&mut b, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
        chunk(
            &mut b,
            b"IDAT",
            &[
                0x78, 0x01, 0x01, 0x04, 0x00, 0xFB, 0xFF, 0, 10, 20, 30, 0, 0x3D, 0, 0x1F,
            ],
        );
        chunk(&mut b, b"IEND", &[]);
        b
    }

    /// A minimal JPEG: SOI, APP0, a quantisation table, SOS and some entropy-coded data
    /// (with a stuffed zero and a restart marker), EOI.
    fn jpeg() -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        b.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        b.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x04, 0x00, 0x01]);
        b.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0]);
        b.extend_from_slice(&[0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78]);
        b.extend_from_slice(&[0xFF, 0xD9]);
        b
    }

    fn webp() -> Vec<u8> {
        let payload = b"VP8L\x05\0\0\0\x2F\0\0\0\0\0";
        let mut b = b"RIFF".to_vec();
        b.extend(((4 + payload.len()) as u32).to_le_bytes());
        b.extend_from_slice(b"WEBP");
        b.extend_from_slice(payload);
        b
    }

    fn pdf() -> Vec<u8> {
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".to_vec()
    }

    fn mp4(brand: &[u8; 4]) -> Vec<u8> {
        let mut b = b"\0\0\0\x18ftyp".to_vec();
        b.extend_from_slice(brand);
        b.extend_from_slice(b"\0\0\x02\0isommp41");
        b.extend_from_slice(b"\0\0\0\x08free");
        b.extend_from_slice(b"\0\0\0\x10mdat\x01\x02\x03\x04\x05\x06\x07\x08");
        b.extend_from_slice(b"\0\0\0\x10moov\0\0\0\x08mvhd");
        b
    }

    /// A one-file ZIP archive (stored, not compressed).
    fn zip() -> Vec<u8> {
        let mut z =
            b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\x05\0\0\0\x05\0\0\0\x05\0\0\0".to_vec();
        z.extend_from_slice(b"a.phphello");
        let cd = z.len() as u32;
        z.extend_from_slice(b"PK\x01\x02\x14\0\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\x05\0\0\0\x05\0\0\0\x05\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0a.php");
        let cd_size = z.len() as u32 - cd;
        z.extend_from_slice(b"PK\x05\x06\0\0\0\0\x01\0\x01\0");
        z.extend(cd_size.to_le_bytes());
        z.extend(cd.to_le_bytes());
        z.extend_from_slice(b"\0\0");
        z
    }

    fn with(mut a: Vec<u8>, b: &[u8]) -> Vec<u8> {
        a.extend_from_slice(b);
        a
    }

    #[test]
    fn allowed_types_are_recognised_by_their_bytes() {
        assert_eq!(detect(&jpeg()), Ok(MediaType::Jpeg));
        assert_eq!(detect(&png()), Ok(MediaType::Png));
        assert_eq!(detect(&webp()), Ok(MediaType::Webp));
        assert_eq!(detect(&pdf()), Ok(MediaType::Pdf));
        assert_eq!(detect(&mp4(b"isom")), Ok(MediaType::Mp4));
        assert_eq!(detect(&mp4(b"qt  ")), Ok(MediaType::Mov));
    }

    #[test]
    fn the_browser_journeys_real_png_is_accepted() {
        // The 1×1 PNG the Playwright journeys upload (a real encoder's output).
        const REAL: [u8; 70] = [
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
            0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
            0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78,
            0xDA, 0x63, 0x64, 0x60, 0xF8, 0x5F, 0x0F, 0x00, 0x02, 0x87, 0x01, 0x80, 0xEB, 0x47,
            0xBA, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
        ];
        assert_eq!(detect(&REAL), Ok(MediaType::Png));
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
        assert_eq!(detect(&zip()), Err(Rejection::Archive));
        assert_eq!(detect(b"\0\0\0\x18ftypheic\0\0\0\0"), Err(Rejection::Heic));
        assert_eq!(detect(b"hello, world"), Err(Rejection::Unknown));
        assert_eq!(detect(&[0xFF, 0xD8]), Err(Rejection::Unknown));
        let big = vec![0xFF; MAX_BYTES + 1];
        assert_eq!(detect(&big), Err(Rejection::TooLarge));
    }

    #[test]
    fn compressed_archives_are_refused_by_their_magic() {
        let mut tar = vec![0u8; 512];
        tar[..9].copy_from_slice(b"photo.jpg");
        tar[257..263].copy_from_slice(b"ustar\0");
        for sample in [
            b"\x1F\x8B\x08\0\0\0\0\0\0\x03".to_vec(),
            b"7z\xBC\xAF\x27\x1C\0\x04".to_vec(),
            b"Rar!\x1A\x07\x01\0".to_vec(),
            b"BZh91AY&SY".to_vec(),
            b"\xFD7zXZ\0\0\x04".to_vec(),
            b"\x28\xB5\x2F\xFD\x24\0".to_vec(),
            b"MSCF\0\0\0\0\x10\0".to_vec(),
            tar,
        ] {
            assert_eq!(detect(&sample), Err(Rejection::Compressed), "{sample:?}");
        }
        assert!(
            Rejection::Compressed
                .message()
                .starts_with("Archives are not accepted")
        );
        assert!(
            Rejection::Archive
                .message()
                .starts_with("Archives are not accepted")
        );
    }

    #[test]
    fn a_jpeg_ends_at_its_end_marker() {
        // Padding after the end marker is fine; anything else is hidden data.
        assert_eq!(detect(&with(jpeg(), &[0, 0, 0, 0])), Ok(MediaType::Jpeg));
        assert_eq!(
            detect(&with(jpeg(), b"<?php system($_GET['c']); ?>")),
            Err(Rejection::TrailingData)
        );
        assert_eq!(detect(&with(jpeg(), &zip())), Err(Rejection::HiddenArchive));
        // A second whole image after the first (a phone's multi-picture file) is fine.
        assert_eq!(detect(&with(jpeg(), &jpeg())), Ok(MediaType::Jpeg));
        // Cut short, or segments that do not chain.
        let full = jpeg();
        assert_eq!(detect(&full[..full.len() - 2]), Err(Rejection::BrokenJpeg));
        assert_eq!(detect(&full[..12]), Err(Rejection::BrokenJpeg));
        let mut bad = jpeg();
        bad[5] = 0x40; // APP0 length runs past the end
        assert_eq!(detect(&bad), Err(Rejection::BrokenJpeg));
        assert_eq!(
            detect(b"\xFF\xD8\xFF\xE0\x00\x10JFIF\0 a photo of a wall"),
            Err(Rejection::BrokenJpeg)
        );
    }

    #[test]
    fn a_png_is_chunks_from_ihdr_to_iend() {
        assert_eq!(detect(&with(png(), &[0, 0])), Ok(MediaType::Png));
        assert_eq!(
            detect(&with(png(), b"#!/bin/sh\nrm -rf ~\n")),
            Err(Rejection::TrailingData)
        );
        assert_eq!(detect(&with(png(), &zip())), Err(Rejection::HiddenArchive));
        let full = png();
        assert_eq!(detect(&full[..full.len() - 12]), Err(Rejection::BrokenPng));
        assert_eq!(
            detect(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]),
            Err(Rejection::BrokenPng)
        );
        // A chunk type that is not four letters, a chunk length past the end, a bad CRC.
        let mut bad = png();
        bad[12] = b'1';
        assert_eq!(detect(&bad), Err(Rejection::BrokenPng));
        let mut bad = png();
        bad[33..37].copy_from_slice(&[0x7F, 0, 0, 0]);
        assert_eq!(detect(&bad), Err(Rejection::BrokenPng));
        let mut bad = png();
        bad[29] ^= 1;
        assert_eq!(detect(&bad), Err(Rejection::BrokenPng));
        // A ZIP carried inside a chunk.
        let mut inner = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        inner.extend_from_slice(&png()[8..33]);
        chunk(&mut inner, b"zIPx", &zip());
        inner.extend_from_slice(&png()[33..]);
        assert_eq!(detect(&inner), Err(Rejection::HiddenArchive));
    }

    #[test]
    fn a_webp_is_as_long_as_its_riff_size_says() {
        assert_eq!(
            detect(&with(webp(), b"MZ\x90\0 a hidden program")),
            Err(Rejection::TrailingData)
        );
        let full = webp();
        assert_eq!(detect(&full[..full.len() - 2]), Err(Rejection::BrokenWebp));
        let mut bad = webp();
        bad[16] = 0x40; // the chunk claims more than the file holds
        assert_eq!(detect(&bad), Err(Rejection::BrokenWebp));
    }

    #[test]
    fn a_video_is_boxes_laid_end_to_end() {
        let full = mp4(b"isom");
        assert_eq!(detect(&full[..full.len() - 3]), Err(Rejection::BrokenVideo));
        assert_eq!(
            detect(&with(mp4(b"isom"), b"MZ this is not a box")),
            Err(Rejection::BrokenVideo)
        );
        assert_eq!(
            detect(&with(mp4(b"qt  "), &zip())),
            Err(Rejection::HiddenArchive)
        );
        // A box that runs to the end of the file (size 0), and a 64-bit size.
        assert_eq!(
            detect(&with(mp4(b"isom"), b"\0\0\0\0mdat\x01\x02")),
            Ok(MediaType::Mp4)
        );
        assert_eq!(
            detect(&with(
                mp4(b"isom"),
                b"\0\0\0\x01mdat\0\0\0\0\0\0\0\x12\x01\x02"
            )),
            Ok(MediaType::Mp4)
        );
        assert_eq!(
            detect(&with(mp4(b"isom"), b"\0\0\0\x04mdat")),
            Err(Rejection::BrokenVideo)
        );
    }

    #[test]
    fn markup_near_the_start_of_an_allowed_type_is_refused() {
        // In a JPEG comment segment.
        let mut j = jpeg();
        let comment = b"<script>alert(document.cookie)</script>";
        let mut seg = vec![0xFF, 0xFE];
        seg.extend(((comment.len() + 2) as u16).to_be_bytes());
        seg.extend_from_slice(comment);
        j.splice(2..2, seg);
        assert_eq!(detect(&j), Err(Rejection::HiddenMarkup));
        // In a PNG text chunk, in any case.
        let mut p = png()[..33].to_vec();
        chunk(&mut p, b"tEXt", b"Comment\0<HtMl><BODY onload=alert(1)>");
        p.extend_from_slice(&png()[33..]);
        assert_eq!(detect(&p), Err(Rejection::HiddenMarkup));
        for tag in ["<svg", "<iframe", "<!DOCTYPE html"] {
            let mut p = png()[..33].to_vec();
            chunk(&mut p, b"tEXt", format!("c\0{tag}>").as_bytes());
            p.extend_from_slice(&png()[33..]);
            assert_eq!(detect(&p), Err(Rejection::HiddenMarkup), "{tag}");
        }
        // In a PDF.
        let pdf_html = with(
            b"%PDF-1.4\n<html><script>alert(1)</script>".to_vec(),
            b"%%EOF",
        );
        assert_eq!(detect(&pdf_html), Err(Rejection::HiddenMarkup));
        // Past the first kilobyte a browser does not sniff: only the structure decides.
        let mut late = png()[..33].to_vec();
        let mut text = b"c\0".to_vec();
        text.resize(1100, b' ');
        text.extend_from_slice(b"<html>");
        chunk(&mut late, b"tEXt", &text);
        late.extend_from_slice(&png()[33..]);
        assert_eq!(detect(&late), Ok(MediaType::Png));
    }

    #[test]
    fn a_pdf_inside_a_picture_is_refused() {
        let mut p = png()[..33].to_vec();
        chunk(&mut p, b"tEXt", b"c\0%PDF-1.4 1 0 obj");
        p.extend_from_slice(&png()[33..]);
        assert_eq!(detect(&p), Err(Rejection::HiddenPdf));
    }

    #[test]
    fn pdfs_with_active_content_are_refused() {
        for active in [
            "/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
            "/AA << /O << /S /JS /JS 3 0 R >> >>",
            "/A << /S /Launch /F (cmd.exe) >>",
            "/Names << /EmbeddedFiles 4 0 R >>",
            "/Type /EmbeddedFile",
            "/RichMedia 5 0 R",
            "/AcroForm << /XFA 6 0 R >>",
            // Name escapes spell the same names.
            "/S /J#61vaScript",
            "/S /#4A#53",
        ] {
            let doc = format!("%PDF-1.7\n1 0 obj\n<< {active} >>\nendobj\n%%EOF\n");
            assert_eq!(
                detect(doc.as_bytes()),
                Err(Rejection::PdfActive),
                "{active}"
            );
        }
        // Names that only start like them are fine; so is a plain open action.
        let fine = "%PDF-1.7\n<< /JSON 1 /Launcher 2 /XFAx 3 /OpenAction [3 0 R /Fit] >>\n%%EOF";
        assert_eq!(detect(fine.as_bytes()), Ok(MediaType::Pdf));
        assert!(
            Rejection::PdfActive
                .message()
                .contains("PDF files with scripts or embedded files are not accepted")
        );
        assert_eq!(detect(&with(pdf(), &zip())), Err(Rejection::HiddenArchive));
    }

    #[test]
    fn random_bytes_looking_like_pk_are_not_an_archive() {
        // "PK\x03\x04" and "PK\x05\x06" whose fields are not those of an archive.
        let mut p = png()[..33].to_vec();
        chunk(
            &mut p,
            b"tEXt",
            b"c\0PK\x03\x04\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF PK\x05\x06\x09\x09\x01\x00\x02\x00",
        );
        p.extend_from_slice(&png()[33..]);
        assert_eq!(detect(&p), Ok(MediaType::Png));
    }

    #[test]
    fn a_large_file_is_checked_in_one_pass() {
        // A 20 MB PDF of random-looking stream data: fast enough even unoptimised.
        let mut doc = b"%PDF-1.7\n1 0 obj\n<< /Length 20000000 >>\nstream\n".to_vec();
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        while doc.len() < MAX_BYTES - 64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            doc.extend_from_slice(&x.to_le_bytes());
        }
        doc.extend_from_slice(b"\nendstream\n%%EOF\n");
        doc.truncate(MAX_BYTES);
        let started = std::time::Instant::now();
        let _ = detect(&doc);
        let took = started.elapsed();
        assert!(
            took < std::time::Duration::from_secs(2),
            "20 MB checked in {took:?}"
        );
    }

    #[test]
    fn every_reason_has_a_code_and_a_message() {
        for r in Rejection::ALL {
            assert_eq!(Rejection::from_code(r.code()), Some(r));
            assert!(!r.message().is_empty());
        }
        let codes: std::collections::HashSet<_> = Rejection::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), Rejection::ALL.len());
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
    fn names_hiding_their_real_extension_are_refused() {
        for name in [
            "photo.jpg.exe",
            "cv.pdf.html",
            "x.php.png",
            "C:\\fakepath\\invoice.PDF.JS",
            "report.pdf.exe.",
            "shell.phtml.jpeg",
            "a.svg.png",
            "app.apk.mp4",
            "run.sh .png",
        ] {
            assert_eq!(
                check_filename(name),
                Err(Rejection::DoubleExtension),
                "{name}"
            );
        }
        assert_eq!(
            check_filename("photo\u{202E}gnp.exe"),
            Err(Rejection::BidiName)
        );
        assert_eq!(check_filename("cv\u{2066}.pdf"), Err(Rejection::BidiName));
        assert_eq!(check_filename("x\u{200F}.png"), Err(Rejection::BidiName));
        // One extension: the contents decide. Ordinary dotted names are fine.
        for name in [
            "logo.svg",
            "photo.jpg",
            "setup.exe",
            "site.visit.2026.11.30.jpg",
            "Dr. Smith's notes.pdf",
            "wall frame.jpeg",
            "Übung – Wand.png",
        ] {
            assert_eq!(check_filename(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(532), "532 bytes");
        assert_eq!(human_size(14 * 1024), "14 KB");
        assert_eq!(human_size(3_565_158), "3.4 MB");
    }
}

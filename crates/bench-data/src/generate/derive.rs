//! What the generator derives rather than draws: stream seeds, ids and USCCs from indexes, and
//! dates and instants in Beijing time. Pure functions, so every part computes them alike.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use guanjia_domain::clock::china_offset;
use guanjia_domain::values::Uscc;
use rand::rngs::StdRng;
use rand::Rng;

/// Mixes the run's seed and a case index into the seed of the case's stream (SplitMix64).
pub fn mix(seed: u64, index: u64) -> u64 {
    let mut z = seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A valid USCC for case `i`, unique per case: a bijective scramble of `i` in base 31.
pub fn uscc_of(i: usize) -> anyhow::Result<Uscc> {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const SPACE: u64 = 31u64.pow(7);
    let mut x = (i as u64 + 1).wrapping_mul(1_000_003) % SPACE;
    let mut tail = [b'0'; 7];
    for slot in tail.iter_mut().rev() {
        *slot = ALPHABET[(x % 31) as usize];
        x /= 31;
    }
    let body = format!("91610902MA{}", String::from_utf8_lossy(&tail));
    Ok(Uscc::with_check_character(&body)?)
}

/// A UUID-shaped id (version 7 layout) from the case's stream.
pub fn uuid_text(rng: &mut StdRng) -> String {
    format!(
        "{:08x}-{:04x}-7{:03x}-{:04x}-{:012x}",
        rng.gen::<u32>(),
        rng.gen::<u16>(),
        rng.gen::<u16>() & 0x0fff,
        (rng.gen::<u16>() & 0x3fff) | 0x8000,
        rng.gen::<u64>() & 0xffff_ffff_ffff
    )
}

pub fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// Saturday and Sunday move to the next Monday.
pub fn weekday(on: NaiveDate) -> NaiveDate {
    match on.weekday() {
        Weekday::Sat => on + Duration::days(2),
        Weekday::Sun => on + Duration::days(1),
        _ => on,
    }
}

/// `hour:minute` Beijing time on `on`, as an instant.
pub fn instant(on: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let local = on.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN));
    (local - Duration::seconds(i64::from(china_offset().local_minus_utc()))).and_utc()
}

/// The Beijing date of an instant: the day a step happens on.
pub fn day_of(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&china_offset()).date_naive()
}

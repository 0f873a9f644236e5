//! The providers: invented outlets and news agencies, each with its own style.

use crate::rng::Rng;
use crate::text::Style;
use crate::vocab::{AGENCY_NAMES, OUTLET_HEADS, OUTLET_TAILS, SECTIONS};

/// One provider as the generator knows it.
#[derive(Debug)]
pub(crate) struct Outlet {
    pub name: String,
    pub domain: String,
    pub agency: bool,
    pub style: Style,
    pub url_style: u8,
    pub permalink_guid: bool,
    pub section: &'static str,
    pub staff: Vec<String>,
}

const REGIONS: &[&str] = &[
    "", "North ", "South ", "East ", "West ", "Greater ", "Metro ", "Upstate ",
];

/// How many of `providers` are agencies: wire copy needs at least one agency
/// and one outlet to republish it, and real markets have few agencies.
pub(crate) fn agency_count(providers: usize) -> usize {
    if providers < 3 {
        0
    } else {
        (providers / 12).clamp(1, 4)
    }
}

pub(crate) fn outlets(seed: u64, providers: usize) -> Vec<Outlet> {
    let agencies = agency_count(providers);
    let combos = OUTLET_HEADS.len() * OUTLET_TAILS.len();
    let mut setup = Rng::derive(seed, 0x0u64, 0x0071);
    // A stride coprime with the number of combinations spreads the names
    // without repeats; an offset varies them between seeds.
    let stride = *setup.pick(&[7usize, 13, 17, 19, 23, 29, 31, 37]);
    let offset = setup.below(combos);
    (0..providers)
        .map(|i| {
            let mut rng = Rng::derive(seed, 0x0u64, 0x1000 + i as u64);
            let name = if i < agencies {
                let base = AGENCY_NAMES[i % AGENCY_NAMES.len()];
                match i / AGENCY_NAMES.len() {
                    0 => base.to_string(),
                    n => format!("{base} {}", n + 1),
                }
            } else {
                let j = i - agencies;
                let k = (offset + (j % combos) * stride) % combos;
                let round = j / combos;
                let mut name = format!(
                    "{}{} {}",
                    REGIONS[round % REGIONS.len()],
                    OUTLET_HEADS[k % OUTLET_HEADS.len()],
                    OUTLET_TAILS[k / OUTLET_HEADS.len()]
                );
                if round >= REGIONS.len() {
                    name.push_str(&format!(" {}", round / REGIONS.len() + 1));
                }
                name
            };
            let mut domain: String = name
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            domain.push_str(".example");
            let agency = i < agencies;
            let staff = (0..4)
                .map(|_| {
                    format!(
                        "{} {}",
                        rng.pick(crate::vocab::FIRST_NAMES),
                        rng.pick(crate::vocab::LAST_NAMES)
                    )
                })
                .collect();
            Outlet {
                name,
                domain,
                agency,
                style: Style::new(&mut rng, agency),
                url_style: rng.below(4) as u8,
                permalink_guid: rng.chance(0.6),
                section: rng.word(SECTIONS),
                staff,
            }
        })
        .collect()
}

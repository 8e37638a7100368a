//! The rule behind the running count in words ("over 90 organisations in more than 40
//! countries"); `i18n` words it in each language.
//!
//! Counts below 10 are exact. From 10 they are rounded down: to a multiple of 10 below 100,
//! of 50 below 1,000, of 500 below 10,000, of 5,000 below 100,000, and so on. A rounded number
//! that differs from the exact one is introduced by "over" (organisations) or "more than"
//! (countries).

/// A count as the headline shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShownCount {
    pub shown: u64,
    /// True when `shown` is below the exact count.
    pub rounded: bool,
}

impl ShownCount {
    pub fn of(exact: u64) -> ShownCount {
        let shown = round_down(exact);
        ShownCount {
            shown,
            rounded: shown != exact,
        }
    }
}

/// Rounds down by the headline rule.
pub fn round_down(n: u64) -> u64 {
    if n < 10 {
        return n;
    }
    if n < 100 {
        return n / 10 * 10;
    }
    // The power of ten at or below n (100, 1,000, …); the step is half of it.
    let mut magnitude: u64 = 100;
    while let Some(next) = magnitude.checked_mul(10) {
        if next > n {
            break;
        }
        magnitude = next;
    }
    let step = magnitude / 2;
    n / step * step
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rounding_rule_holds_at_every_boundary() {
        let cases = [
            (0, 0),
            (1, 1),
            (9, 9),
            (10, 10),
            (11, 10),
            (40, 40),
            (41, 40),
            (90, 90),
            (93, 90),
            (99, 90),
            (100, 100),
            (149, 100),
            (150, 150),
            (999, 950),
            (1000, 1000),
            (1499, 1000),
            (1500, 1500),
            (9999, 9500),
            (10000, 10000),
            (12345, 10000),
            (99999, 95000),
            (100000, 100000),
            (123456, 100000),
        ];
        for (exact, shown) in cases {
            assert_eq!(round_down(exact), shown, "round_down({exact})");
        }
    }

    #[test]
    fn rounding_never_overflows() {
        // 18,446,744,073,709,551,615 rounds down to a multiple of 5 × 10^18.
        assert_eq!(round_down(u64::MAX), 15_000_000_000_000_000_000);
    }
}

//! The contrast ratio of WCAG 2 (and GB/T 37668-2019, which takes it over): text must reach
//! 4.5:1 against its background. Used by the tests of the stylesheet and of the pages as the
//! browser draws them.

/// A colour as sRGB bytes.
pub type Rgb = (u8, u8, u8);

/// `#rgb` or `#rrggbb`, or `rgb(r, g, b)` / `rgba(r, g, b, a)` as browsers report colours.
pub fn parse(text: &str) -> Option<Rgb> {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix('#') {
        let digits: Vec<u8> = hex
            .chars()
            .map(|c| c.to_digit(16).and_then(|d| u8::try_from(d).ok()))
            .collect::<Option<_>>()?;
        return match digits.as_slice() {
            [r, g, b] => Some((r * 17, g * 17, b * 17)),
            [r1, r2, g1, g2, b1, b2] => Some((r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2)),
            _ => None,
        };
    }
    let inner = text
        .strip_prefix("rgba(")
        .or_else(|| text.strip_prefix("rgb("))?
        .strip_suffix(')')?;
    let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
    match parts.as_slice() {
        [r, g, b] | [r, g, b, _] => Some((r.parse().ok()?, g.parse().ok()?, b.parse().ok()?)),
        _ => None,
    }
}

/// The relative luminance of a colour.
pub fn luminance((r, g, b): Rgb) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// The contrast ratio of two colours, from 1 (none) to 21 (black on white).
pub fn ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_ratios() {
        let (black, white) = ((0, 0, 0), (255, 255, 255));
        assert!((ratio(black, white) - 21.0).abs() < 1e-9);
        assert!((ratio(white, white) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic 4.54:1.
        let grey = parse("#767676").expect("a colour");
        assert!((ratio(grey, white) - 4.54).abs() < 0.01);
        assert_eq!(parse("rgb(10, 20, 30)"), Some((10, 20, 30)));
        assert_eq!(parse("rgba(10, 20, 30, 0.5)"), Some((10, 20, 30)));
        assert_eq!(parse("#fff"), Some((255, 255, 255)));
        assert_eq!(parse("blue"), None);
    }
}

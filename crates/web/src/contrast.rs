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
    use std::collections::HashMap;

    use super::*;
    use crate::assets::STYLESHEET;

    /// The innermost rules of a stylesheet: (selector, declarations), `@media` blocks opened.
    fn rules(css: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut text = String::new();
        let mut rest = css;
        while let Some(start) = rest.find("/*") {
            text.push_str(&rest[..start]);
            rest = rest[start..]
                .split_once("*/")
                .map_or("", |(_, after)| after);
        }
        text.push_str(rest);
        let (mut out, mut stack, mut last) = (Vec::new(), Vec::new(), 0);
        for (i, c) in text.char_indices() {
            match c {
                '{' => {
                    if let Some((_, _, nested)) = stack.last_mut() {
                        *nested = true;
                    }
                    stack.push((text[last..i].trim().to_owned(), i, false));
                    last = i + 1;
                }
                '}' => {
                    if let Some((selector, start, false)) = stack.pop() {
                        let declarations = text[start + 1..i]
                            .split(';')
                            .filter_map(|d| d.split_once(':'))
                            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                            .collect();
                        out.push((selector, declarations));
                    }
                    last = i + 1;
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn every_text_colour_of_the_stylesheet_reaches_4_5_to_1() {
        let rules = rules(STYLESHEET);
        let variables: HashMap<String, String> = rules
            .iter()
            .filter(|(selector, _)| selector == ":root")
            .flat_map(|(_, d)| d.iter().cloned())
            .collect();
        let colour = |value: &str| -> Option<Rgb> {
            let value = value.trim();
            let resolved = match value.strip_prefix("var(").and_then(|v| v.strip_suffix(')')) {
                Some(name) => variables.get(name.trim())?.as_str(),
                None => value,
            };
            parse(resolved)
        };
        let page =
            ["--bg", "--surface"].map(|v| colour(&format!("var({v})")).expect("page colours"));
        let mut checked = 0;
        for (selector, declarations) in &rules {
            let get = |name: &str| {
                declarations
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str())
            };
            let Some(text) = get("color").and_then(colour) else {
                continue;
            };
            let backgrounds: Vec<Rgb> = match get("background")
                .or(get("background-color"))
                .and_then(colour)
            {
                Some(own) => vec![own],
                None => page.to_vec(),
            };
            for background in backgrounds {
                let r = ratio(text, background);
                assert!(
                    r >= 4.5,
                    "{selector}: text {text:?} on {background:?} is {r:.2}:1"
                );
                checked += 1;
            }
        }
        assert!(
            checked > 30,
            "only {checked} colour pairs found: is the parser reading the file?"
        );
    }

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

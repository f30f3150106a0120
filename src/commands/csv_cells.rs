//! Text cells of the CSV files the commands write, safe to open in a spreadsheet.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula (tab and carriage
//! return can lead one too), and exported text comes from outside: an enterprise name, a rating
//! comment typed on the public rating page (`=HYPERLINK("http://…","点此领取补贴")`). Following
//! OWASP's advice on CSV injection, such a cell gets a leading `'`, which spreadsheets read as
//! "this is text" and do not show, and every field is quoted, its quotes doubled. A cell that
//! already starts with `'` gets one more, so that [`restore`] (used by `catalog import`, which
//! reads what `catalog export` writes) gives back exactly the original text.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The text as a CSV cell may hold it: with a leading `'` when it could start a formula (or
/// starts with `'` itself), else unchanged.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if could_be_formula(text) || text.starts_with('\'') {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether a spreadsheet could read the text as a formula. Leading spaces and line breaks
/// do not stop every spreadsheet from seeing one.
pub fn could_be_formula(text: &str) -> bool {
    text.trim_start_matches([' ', '\n'])
        .starts_with(FORMULA_START)
}

/// The text of a cell read back: one leading `'` removed, as a spreadsheet does.
pub fn restore(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// A CSV writer that quotes every field (OWASP: "wrap each cell field in double quotes").
pub fn writer<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_a_quote_and_plain_text_does_not() {
        for formula in [
            "=HYPERLINK(\"http://x\",\"点此领取补贴\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "  =1+1",
            "\n=1",
        ] {
            assert_eq!(neutralise(formula), format!("'{formula}"), "{formula:?}");
            assert!(could_be_formula(formula));
            assert_eq!(restore(&neutralise(formula)), formula);
        }
        for plain in ["安康恒口新材料有限公司", "很好", "a=b", "12", ""] {
            assert_eq!(neutralise(plain), plain);
            assert!(!could_be_formula(plain));
            assert_eq!(restore(&neutralise(plain)), plain);
        }
    }

    #[test]
    fn a_leading_quote_survives_the_round_trip() {
        assert_eq!(neutralise("'=1"), "''=1");
        assert_eq!(restore(&neutralise("'=1")), "'=1");
        assert_eq!(restore(&neutralise("'abc")), "'abc");
    }

    #[test]
    fn every_field_is_quoted_and_quotes_are_doubled() {
        let mut bytes = Vec::new();
        {
            let mut out = writer(&mut bytes);
            out.write_record(["a", "say \"hi\"", "1,2"])
                .expect("written");
            out.flush().expect("flushed");
        }
        assert_eq!(
            String::from_utf8(bytes).expect("utf-8"),
            "\"a\",\"say \"\"hi\"\"\",\"1,2\"\n"
        );
    }
}

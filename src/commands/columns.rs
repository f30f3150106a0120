//! Tables printed to a terminal (`user list`), aligned by display width: a CJK character
//! takes two columns, so padding by `char` count (what `{:<10}` does) leaves every row with a
//! Chinese name out of line. Widths follow Unicode's East Asian Width (the `unicode-width`
//! crate), as terminals draw them.

use unicode_width::UnicodeWidthStr;

/// Space between columns.
const GAP: usize = 2;

/// The lines of a table: each column as wide as its widest cell, the last one unpadded.
pub fn aligned(rows: &[Vec<String>]) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|at| {
            rows.iter()
                .filter_map(|row| row.get(at))
                .map(|cell| cell.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|row| {
            let mut line = String::new();
            for (at, cell) in row.iter().enumerate() {
                line.push_str(cell);
                if at + 1 < row.len() {
                    let pad = widths[at] - cell.width() + GAP;
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            line
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn columns_line_up_by_display_width_with_chinese_text() {
        let lines = aligned(&[
            row(&["name", "role", "status"]),
            row(&["王建国", "steward", "active"]),
            row(&["li", "admin", "disabled"]),
        ]);
        assert_eq!(
            lines,
            [
                "name    role     status",
                "王建国  steward  active",
                "li      admin    disabled",
            ]
        );
        // Every "status" starts at display column 17.
        for line in &lines {
            let at = line.rfind(' ').map_or(0, |i| i + 1);
            assert_eq!(line[..at].width(), 17, "{line}");
        }
    }
}

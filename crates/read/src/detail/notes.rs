//! A case's notes, whole or the newest few: a busy case gathers thousands, and a reader that
//! shows a page of them should copy only that page out of the model.

use super::NoteView;
use crate::cases::CaseRecord;
use crate::symbols::Symbols;
use crate::ReadModel;

/// Which of a case's notes to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteWindow {
    /// Every note, oldest first.
    All,
    /// The newest `n` notes, oldest of them first.
    Newest(usize),
}

impl ReadModel {
    /// The notes of the case with this id in `window`, and how many it has in all; `None` when
    /// there is no such case.
    pub fn case_notes(&self, id: &str, window: NoteWindow) -> Option<(Vec<NoteView>, usize)> {
        let record = self.cases.case(self.cases.find(id)?)?;
        Some((views(record, window, &self.symbols), record.notes.len()))
    }
}

pub(super) fn views(record: &CaseRecord, window: NoteWindow, symbols: &Symbols) -> Vec<NoteView> {
    let skip = match window {
        NoteWindow::All => 0,
        NoteWindow::Newest(n) => record.notes.len().saturating_sub(n),
    };
    record.notes[skip..]
        .iter()
        .map(|n| NoteView {
            note_no: n.note_no,
            text: n.text.to_string(),
            recorded_at: n.at,
            author_id: symbols.owned(n.author),
        })
        .collect()
}

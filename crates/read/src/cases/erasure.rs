//! What `PersonalDataErased` does to a case: the contact, every rater and complainant, and the
//! contact values in the correction history are blanked, and the case is flagged so that the
//! detail and the exports say "erased" rather than "not given". A read model rebuilt from the
//! log after the erasure sees these fields as null already (their keys are shredded); a
//! running one blanks them here, when the event arrives.

use guanjia_domain::case::model::Person;

use super::timeline::Mark;
use super::{CaseIx, CaseStore};

impl CaseStore {
    pub(super) fn erase_personal_data(&mut self, case: CaseIx) -> Option<Mark> {
        let record = self.cases.get_mut(case as usize)?;
        record.personal_data_erased = true;
        record.enterprise.contact_name = None;
        record.enterprise.contact_phone = None;
        for correction in &mut record.corrections {
            for (field, from, to) in &mut correction.changes {
                if field.is_personal() {
                    *from = None;
                    to.clear();
                }
            }
        }
        for &row in &record.ratings {
            if let Some(rating) = self.ratings.get_mut(row as usize) {
                rating.rater = Person::default();
            }
        }
        for &row in &record.complaints {
            if let Some(complaint) = self.complaints.get_mut(row as usize) {
                complaint.complainant = Person::default();
            }
        }
        Some(Mark::default())
    }
}

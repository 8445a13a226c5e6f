//! Public-welfare post types, posts, assignments and subsidy payments.

use uuid::Uuid;

use super::{Entity, Result, Store};
use crate::domain::records::{Post, PostAssignment, PostType, SubsidyPayment};

impl Store {
    /// The live post types, by code.
    pub fn post_types(&self) -> Result<Vec<PostType>> {
        let sql = format!(
            "SELECT {} FROM post_type WHERE deleted_at IS NULL ORDER BY code",
            PostType::select_list()
        );
        self.query(&sql, [], PostType::from_row)
    }

    /// The live posts of a village.
    pub fn posts_of_village(&self, village_id: Uuid) -> Result<Vec<Post>> {
        let sql = format!(
            "SELECT {} FROM post WHERE village_id = ?1 AND deleted_at IS NULL ORDER BY id",
            Post::select_list()
        );
        self.query(&sql, [village_id.to_string()], Post::from_row)
    }

    /// The person's assignment that has not ended, if any ("is this person already in a post?").
    pub fn current_assignment(&self, person_id: Uuid) -> Result<Option<PostAssignment>> {
        let sql = format!(
            "SELECT {} FROM post_assignment WHERE person_id = ?1 AND deleted_at IS NULL AND end_date IS NULL
             ORDER BY start_date DESC LIMIT 1",
            PostAssignment::select_list()
        );
        Ok(self
            .query(&sql, [person_id.to_string()], PostAssignment::from_row)?
            .pop())
    }

    /// The live subsidy payments of an assignment, by month.
    pub fn payments_of(&self, assignment_id: Uuid) -> Result<Vec<SubsidyPayment>> {
        let sql = format!(
            "SELECT {} FROM subsidy_payment WHERE assignment_id = ?1 AND deleted_at IS NULL ORDER BY month",
            SubsidyPayment::select_list()
        );
        self.query(&sql, [assignment_id.to_string()], SubsidyPayment::from_row)
    }
}

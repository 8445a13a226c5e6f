//! Public-welfare post types, posts, assignments and subsidy payments.

use uuid::Uuid;

use super::{Result, Store, entity};
use crate::domain::records::{Post, PostAssignment, PostType, SubsidyPayment};

impl Store {
    /// The live post types, by code.
    pub fn post_types(&self) -> Result<Vec<PostType>> {
        let sql = format!(
            "SELECT {} FROM post_type WHERE deleted_at IS NULL ORDER BY code",
            entity::select_list::<PostType>()
        );
        self.query(&sql, [], entity::from_row::<PostType>)
    }

    /// The live posts of a village.
    pub fn posts_of_village(&self, village_id: Uuid) -> Result<Vec<Post>> {
        let sql = format!(
            "SELECT {} FROM post WHERE village_id = ?1 AND deleted_at IS NULL ORDER BY id",
            entity::select_list::<Post>()
        );
        self.query(&sql, [village_id.to_string()], entity::from_row::<Post>)
    }

    /// The person's assignment that has not ended, if any ("is this person already in a post?").
    pub fn current_assignment(&self, person_id: Uuid) -> Result<Option<PostAssignment>> {
        let sql = format!(
            "SELECT {} FROM post_assignment WHERE person_id = ?1 AND deleted_at IS NULL AND end_date IS NULL
             ORDER BY start_date DESC LIMIT 1",
            entity::select_list::<PostAssignment>()
        );
        Ok(self
            .query(
                &sql,
                [person_id.to_string()],
                entity::from_row::<PostAssignment>,
            )?
            .pop())
    }

    /// The live subsidy payments of an assignment, by month.
    pub fn payments_of(&self, assignment_id: Uuid) -> Result<Vec<SubsidyPayment>> {
        let sql = format!(
            "SELECT {} FROM subsidy_payment WHERE assignment_id = ?1 AND deleted_at IS NULL ORDER BY month",
            entity::select_list::<SubsidyPayment>()
        );
        self.query(
            &sql,
            [assignment_id.to_string()],
            entity::from_row::<SubsidyPayment>,
        )
    }
}

//! Coded choice lists. Only the stable code is stored; labels live in the
//! locales under `code.<list>.<code>` (e.g. `code.sex.f`), and the snapshot
//! codebook lists every code with its three labels.

/// One choice list: its name (also the locale key segment) and its codes in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChoiceList {
    pub name: &'static str,
    pub codes: &'static [&'static str],
}

impl ChoiceList {
    pub fn contains(&self, code: &str) -> bool {
        self.codes.contains(&code)
    }

    /// The locale key of one code's label.
    pub fn label_key(&self, code: &str) -> String {
        format!("code.{}.{}", self.name, code)
    }
}

macro_rules! lists {
    ($($konst:ident = $name:literal [$($code:literal),* $(,)?];)*) => {
        $(pub const $konst: ChoiceList = ChoiceList { name: $name, codes: &[$($code),*] };)*
        /// Every choice list, for the codebook and the locale completeness test.
        pub const ALL: &[ChoiceList] = &[$($konst),*];
    };
}

lists! {
    SEX = "sex" ["m", "f"];
    RELATION = "relation" ["head", "spouse", "child", "child_in_law", "grandchild", "parent", "sibling", "other"];
    EDUCATION = "education" ["none", "primary", "junior", "senior", "vocational", "college", "monastic"];
    EMPLOYMENT_STATUS = "employment_status" [
        "local_short_term", "in_province", "out_of_province", "cooperative", "welfare_post",
        "self_employed", "not_employed", "student", "unable",
    ];
    DIFFICULTY = "difficulty" ["lack_skills", "no_mandarin", "unwilling_to_leave", "family_care", "health", "other"];
    VISIT_TYPE = "visit_type" ["annual", "follow_up"];
    VISIT_STATUS = "visit_status" ["draft", "submitted", "approved", "returned"];
    TRAINING_MODE = "training_mode" ["poverty_class", "to_villages", "targeted", "post_specific"];
    TARGET_GROUP = "target_group" ["poor_labourers", "dropouts_16_18", "post_holders", "other"];
    COURSE_CATEGORY = "course_category" [
        "national_standard", "specific_skill", "job_skill", "farm_technique", "heritage_craft",
        "work_readiness",
    ];
    // Skill levels of the national occupational standards, lowest first:
    // 5 (初级工) to 1 (高级技师).
    COURSE_LEVEL = "course_level" ["5", "4", "3", "2", "1"];
    SESSION_STATUS = "session_status" ["planned", "running", "finished"];
    RESULT = "result" ["pass", "fail", "resit"];
    ENROLMENT_OUTCOME = "enrolment_outcome" ["enrolled", "completed", "dropped"];
    DEPARTMENT = "department" [
        "housing", "transport", "forestry", "agriculture", "water", "culture_tourism",
        "natural_resources", "other",
    ];
    POST_STATUS = "post_status" ["open", "filled", "closed"];
    // The reasons counties record (programmes.md); `dismissed` and
    // `contract_ended` were the first list's and stay for the records that
    // hold them.
    END_REASON = "end_reason" [
        "resigned", "stable_work", "health", "moved_away", "school_or_army",
        "failed_assessment", "substitute", "absent", "household_exited", "deceased",
        "contract_ended", "dismissed", "other",
    ];
    PAYMENT_CHANNEL = "payment_channel" ["bank", "social_security_card"];
    // Employment records (the national monitoring system's work sheet):
    // where the work is, in three tiers ...
    PLACE_TIER = "place_tier" ["in_county", "in_province", "out_of_province"];
    // ... how it was found (就业渠道) ...
    WORK_CHANNEL = "work_channel" [
        "welfare_post", "assistance_workshop", "labour_cooperative", "organised_transfer",
        "own", "self_employed",
    ];
    // ... its industry, the sections of GB/T 4754 labourers work in ...
    INDUSTRY = "industry" [
        "agriculture", "manufacturing", "construction", "transport", "wholesale_retail",
        "hospitality", "resident_services", "environment", "culture_tourism", "public_admin",
        "other",
    ];
    // ... and, for a labourer not working, the service wanted.
    SERVICE_WANTED = "service_wanted" [
        "job_referral", "skills_training", "start_business", "welfare_post", "policy_advice",
        "other",
    ];
}

/// Employment statuses in which a person is working (employment details apply).
pub fn is_working(status: &str) -> bool {
    !matches!(status, "not_employed" | "student" | "unable")
}

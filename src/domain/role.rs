use super::word_enum;

word_enum! {
    /// What a token may do. An admin may do everything a moderator may.
    Role, "a role" {
        Moderator => "moderator",
        Admin => "admin",
    }
}

impl Role {
    /// Whether this role includes `needed` (moderator < admin).
    pub fn includes(self, needed: Role) -> bool {
        self >= needed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_admin_may_do_what_a_moderator_may_but_not_the_reverse() {
        assert!(Role::Admin.includes(Role::Moderator));
        assert!(Role::Admin.includes(Role::Admin));
        assert!(Role::Moderator.includes(Role::Moderator));
        assert!(!Role::Moderator.includes(Role::Admin));
    }
}

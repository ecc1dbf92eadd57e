//! Which configurations are chosen for a batch: ticked one by one or all shown at
//! once (a filter decides what is shown), in the order chosen; disabled ones can
//! never be chosen.

use std::collections::HashSet;

use crate::core::model::Configuration;

/// Whether a configuration may be chosen: a disabled one cannot be refreshed (the
/// API answers 400 `configuration_disabled`).
pub fn selectable(c: &Configuration) -> bool {
    c.enabled != Some(false)
}

/// How much of what is shown is chosen (the "select all shown" box's state).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// None of the selectable ones shown (or nothing selectable is shown).
    None,
    /// Some of them.
    Some,
    /// All of them.
    All,
}

/// The chosen configurations, `(id, name)` in the order chosen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    order: Vec<(String, Option<String>)>,
    ids: HashSet<String>,
}

impl Selection {
    /// Chooses (`on`) or drops configuration `c`; a disabled one is never chosen.
    pub fn set(&mut self, c: &Configuration, on: bool) {
        if on && selectable(c) && self.ids.insert(c.id.clone()) {
            self.order.push((c.id.clone(), c.name.clone()));
        } else if !on && self.ids.remove(&c.id) {
            self.order.retain(|(id, _)| *id != c.id);
        }
    }

    /// Whether `id` is chosen.
    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// How many are chosen.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether none is chosen.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Chooses (`on`) or drops every selectable configuration of `shown`.
    pub fn set_all<'a>(&mut self, shown: impl IntoIterator<Item = &'a Configuration>, on: bool) {
        if on {
            for c in shown {
                self.set(c, true);
            }
        } else {
            let drop: HashSet<&str> = shown.into_iter().map(|c| c.id.as_str()).collect();
            self.ids.retain(|id| !drop.contains(id.as_str()));
            self.order.retain(|(id, _)| !drop.contains(id.as_str()));
        }
    }

    /// How much of the selectable configurations of `shown` is chosen.
    pub fn shown<'a>(&self, shown: impl IntoIterator<Item = &'a Configuration>) -> Shown {
        let (mut chosen, mut all) = (0, 0);
        for c in shown.into_iter().filter(|c| selectable(c)) {
            all += 1;
            chosen += usize::from(self.contains(&c.id));
        }
        match chosen {
            0 => Shown::None,
            n if n == all => Shown::All,
            _ => Shown::Some,
        }
    }

    /// Drops everything.
    pub fn clear(&mut self) {
        self.order.clear();
        self.ids.clear();
    }

    /// The chosen `(id, name)` pairs, in the order chosen.
    pub fn chosen(&self) -> &[(String, Option<String>)] {
        &self.order
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(id: &str, enabled: Option<bool>) -> Configuration {
        Configuration {
            id: id.to_owned(),
            name: Some(format!("Name of {id}")),
            enabled,
            ..Configuration::default()
        }
    }

    #[test]
    fn ticks_keep_the_order_chosen_and_disabled_ones_are_never_chosen() {
        let mut s = Selection::default();
        s.set(&cfg("b", Some(true)), true);
        s.set(&cfg("a", None), true);
        s.set(&cfg("off", Some(false)), true);
        s.set(&cfg("b", Some(true)), true);
        assert_eq!(
            s.chosen(),
            &[
                ("b".to_owned(), Some("Name of b".to_owned())),
                ("a".to_owned(), Some("Name of a".to_owned()))
            ]
        );
        s.set(&cfg("b", Some(true)), false);
        assert_eq!(s.len(), 1);
        assert!(!s.contains("b") && s.contains("a") && !s.contains("off"));
    }

    #[test]
    fn all_shown_respects_what_is_shown() {
        let shown = [
            cfg("a", None),
            cfg("off", Some(false)),
            cfg("c", Some(true)),
        ];
        let other = cfg("elsewhere", None);
        let mut s = Selection::default();
        s.set(&other, true);
        assert_eq!(s.shown(&shown), Shown::None);
        s.set(&shown[0], true);
        assert_eq!(s.shown(&shown), Shown::Some);
        s.set_all(&shown, true);
        assert_eq!(
            s.shown(&shown),
            Shown::All,
            "the disabled one does not count"
        );
        assert_eq!(s.len(), 3);
        s.set_all(&shown, false);
        assert_eq!(
            s.chosen(),
            &[("elsewhere".to_owned(), Some("Name of elsewhere".to_owned()))]
        );
        assert_eq!(s.shown(&[cfg("off", Some(false))]), Shown::None);
        s.clear();
        assert!(s.is_empty());
    }
}

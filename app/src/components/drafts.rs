//! Drafts kept in the browser, so nothing a user types is lost: to a reload, to going
//! offline, to a failed request. A draft stays on the device (`localStorage`) until the
//! user submits it and the server accepts it; it never travels on its own.
//!
//! The generic parts ([`Draft`], [`draft_key`], [`load`], [`save`], [`discard`],
//! [`is_online`], [`field_value`], [`set_field`]) suit any form; the rest compares portfolio
//! item drafts with the saved item. On the server the storage calls do nothing.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::models::portfolio::{ItemForm, ItemKind, PortfolioItem, split_skills};

/// What a draft keeps: the form as typed, the version of the record it started from
/// (`None` for a new record) and when it was last written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft<F> {
    /// The form's values.
    pub form: F,
    /// The version of the saved record the user was editing.
    #[serde(default)]
    pub base_version: Option<i64>,
    /// When the draft was last written.
    pub saved_at: DateTime<Utc>,
}

/// The storage key of a draft: one per user's learner record and record (`slot`: the
/// record's id, or e.g. `new-reflection`).
pub fn draft_key(learner_id: i64, slot: &str) -> String {
    format!("trackrecord:draft:{learner_id}:{slot}")
}

/// The slot of a portfolio item's draft: its id, or `new-<kind>` before it is saved.
pub fn item_slot(item_id: Option<i64>, kind: ItemKind) -> String {
    item_id.map_or_else(|| format!("new-{}", kind.as_str()), |id| id.to_string())
}

/// A portfolio item as the editor holds it: the form and the ticked units.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemDraft {
    /// The item's fields.
    pub item: ItemForm,
    /// Ids of the ticked units.
    #[serde(default)]
    pub units: BTreeSet<i64>,
}

impl ItemDraft {
    /// The editor's starting point for a saved item.
    pub fn of_item(item: &PortfolioItem) -> Self {
        ItemDraft {
            item: ItemForm::from_item(item),
            units: item.units.iter().map(|u| u.id).collect(),
        }
    }

    /// An empty item of `kind`.
    pub fn new_of(kind: ItemKind) -> Self {
        ItemDraft {
            item: ItemForm {
                kind: kind.as_str().to_owned(),
                ..ItemForm::default()
            },
            units: BTreeSet::new(),
        }
    }

    /// The value of field `field` (an [`ItemForm`] field name), as typed.
    pub fn value(&self, field: &str) -> &str {
        let f = &self.item;
        match field {
            "kind" => &f.kind,
            "title" => &f.title,
            "body" => &f.body,
            "organisation" => &f.organisation,
            "role" => &f.role,
            "start_date" => &f.start_date,
            "end_date" => &f.end_date,
            "hours" => &f.hours,
            "supervisor" => &f.supervisor,
            "skills" => &f.skills,
            _ => "",
        }
    }
}

/// The text fields of an item form, in the order the form shows them.
pub const ITEM_FIELDS: [&str; 10] = [
    "kind",
    "title",
    "organisation",
    "role",
    "start_date",
    "end_date",
    "hours",
    "supervisor",
    "body",
    "skills",
];

/// The fields a form of `kind` shows (others are ignored when saved).
pub fn fields_of(kind: ItemKind) -> Vec<&'static str> {
    let dated = matches!(kind, ItemKind::WorkExperience | ItemKind::Activity);
    let work = kind == ItemKind::WorkExperience;
    ITEM_FIELDS
        .into_iter()
        .filter(|f| match *f {
            "kind" => false,
            "organisation" | "role" | "start_date" | "end_date" => dated,
            "hours" | "supervisor" => work,
            _ => true,
        })
        .collect()
}

/// What a field is called on the form of `kind`.
pub fn field_label(field: &str, kind: ItemKind) -> &'static str {
    match field {
        "title" => "Title",
        "body" => kind.body_label(),
        "organisation" if kind == ItemKind::WorkExperience => "Employer",
        "organisation" => "Organisation",
        "role" => "Role",
        "start_date" => "Start date",
        "end_date" => "End date",
        "hours" => "Hours",
        "supervisor" => "Supervisor",
        "skills" => "Skills",
        "units" => "Units of competency",
        _ => "Kind",
    }
}

/// The fields (of those the kind shows, plus `units`) where `a` and `b` say different
/// things. Spaces around a value do not count, nor how skills are separated.
pub fn differing_fields(a: &ItemDraft, b: &ItemDraft) -> Vec<&'static str> {
    let kind = ItemKind::parse(&a.item.kind)
        .or_else(|| ItemKind::parse(&b.item.kind))
        .unwrap_or(ItemKind::Evidence);
    let mut out: Vec<&'static str> = fields_of(kind)
        .into_iter()
        .filter(|f| {
            if *f == "skills" {
                split_skills(a.value(f)) != split_skills(b.value(f))
            } else {
                a.value(f).trim() != b.value(f).trim()
            }
        })
        .collect();
    if a.units != b.units {
        out.push("units");
    }
    out
}

/// Whether a draft says anything the saved item does not.
pub fn differs(draft: &ItemDraft, saved: &ItemDraft) -> bool {
    !differing_fields(draft, saved).is_empty()
}

/// Reads a stored draft (browser only; `None` on the server, or when unreadable).
pub fn load<F: serde::de::DeserializeOwned>(key: &str) -> Option<Draft<F>> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        gloo_storage::LocalStorage::get(key).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        None
    }
}

/// Writes a draft; `false` when the browser refused (storage full or blocked).
pub fn save<F: Serialize>(key: &str, draft: &Draft<F>) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        gloo_storage::LocalStorage::set(key, draft).is_ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (key, draft);
        false
    }
}

/// Forgets a draft.
pub fn discard(key: &str) {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        gloo_storage::LocalStorage::delete(key);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = key;
}

/// Whether the browser believes it is online (always `true` on the server).
pub fn is_online() -> bool {
    #[cfg(feature = "hydrate")]
    {
        leptos::prelude::window().navigator().on_line()
    }
    #[cfg(not(feature = "hydrate"))]
    true
}

/// The value of the form control named `name` in `form` (input, textarea or select).
#[cfg(feature = "hydrate")]
pub fn field_value(form: &leptos::web_sys::HtmlFormElement, name: &str) -> Option<String> {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys;
    let el = form
        .query_selector(&format!("[name=\"{name}\"]"))
        .ok()??;
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        return Some(i.value());
    }
    if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        return Some(t.value());
    }
    el.dyn_ref::<web_sys::HtmlSelectElement>().map(|s| s.value())
}

/// Sets the form control named `name` in `form` to `value`.
#[cfg(feature = "hydrate")]
pub fn set_field(form: &leptos::web_sys::HtmlFormElement, name: &str, value: &str) {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys;
    let Ok(Some(el)) = form.query_selector(&format!("[name=\"{name}\"]")) else {
        return;
    };
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        i.set_value(value);
    } else if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.set_value(value);
    } else if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.set_value(value);
    }
}

/// Reads an item form (`form[<field>]` and `units[<id>]` checkboxes) from the page.
#[cfg(feature = "hydrate")]
pub fn read_item(form: &leptos::web_sys::HtmlFormElement) -> ItemDraft {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys;
    let mut draft = ItemDraft::default();
    let get = |f: &str| field_value(form, &format!("form[{f}]")).unwrap_or_default();
    draft.item = ItemForm {
        kind: get("kind"),
        title: get("title"),
        body: get("body"),
        organisation: get("organisation"),
        role: get("role"),
        start_date: get("start_date"),
        end_date: get("end_date"),
        hours: get("hours"),
        supervisor: get("supervisor"),
        skills: get("skills"),
    };
    if let Ok(boxes) = form.query_selector_all("input[name^=\"units[\"]") {
        for i in 0..boxes.length() {
            let Some(b) = boxes
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                continue;
            };
            if b.checked()
                && let Some(id) = b
                    .name()
                    .strip_prefix("units[")
                    .and_then(|r| r.strip_suffix(']'))
                    .and_then(|r| r.parse().ok())
            {
                draft.units.insert(id);
            }
        }
    }
    draft
}

/// Puts an item draft into the page's form.
#[cfg(feature = "hydrate")]
pub fn fill_item(form: &leptos::web_sys::HtmlFormElement, draft: &ItemDraft) {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys;
    for f in ITEM_FIELDS {
        if f != "kind" {
            set_field(form, &format!("form[{f}]"), draft.value(f));
        }
    }
    if let Ok(boxes) = form.query_selector_all("input[name^=\"units[\"]") {
        for i in 0..boxes.length() {
            if let Some(b) = boxes
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                let id = b
                    .name()
                    .strip_prefix("units[")
                    .and_then(|r| r.strip_suffix(']'))
                    .and_then(|r| r.parse::<i64>().ok());
                b.set_checked(id.is_some_and(|id| draft.units.contains(&id)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved() -> ItemDraft {
        ItemDraft {
            item: ItemForm {
                kind: "work_experience".into(),
                title: "Placement".into(),
                body: "Framed walls.".into(),
                organisation: "Hammer & Sons".into(),
                role: "Apprentice".into(),
                start_date: "2026-02-02".into(),
                skills: "framing, levelling".into(),
                ..ItemForm::default()
            },
            units: [3, 5].into_iter().collect(),
        }
    }

    #[test]
    fn keys_are_per_learner_and_item_or_new_kind() {
        assert_eq!(
            draft_key(7, &item_slot(Some(42), ItemKind::Reflection)),
            "trackrecord:draft:7:42"
        );
        assert_eq!(
            draft_key(7, &item_slot(None, ItemKind::WorkExperience)),
            "trackrecord:draft:7:new-work_experience"
        );
    }

    #[test]
    fn spacing_and_skill_separators_are_not_differences() {
        let mut draft = saved();
        draft.item.title = "  Placement ".into();
        draft.item.skills = "framing,levelling,".into();
        assert!(!differs(&draft, &saved()));
        assert!(differing_fields(&draft, &saved()).is_empty());
    }

    #[test]
    fn differences_name_the_fields_and_units() {
        let mut draft = saved();
        draft.item.body = "Framed walls and hung doors.".into();
        draft.item.hours = "40".into();
        draft.units.remove(&5);
        assert_eq!(
            differing_fields(&draft, &saved()),
            vec!["hours", "body", "units"]
        );
    }

    #[test]
    fn fields_the_kind_does_not_show_do_not_count() {
        let mut a = ItemDraft::new_of(ItemKind::Reflection);
        a.item.title = "Week 1".into();
        let mut b = a.clone();
        b.item.hours = "12".into();
        b.item.organisation = "Ignored".into();
        assert!(!differs(&a, &b));
        b.item.body = "New".into();
        assert_eq!(differing_fields(&a, &b), vec!["body"]);
        assert_eq!(field_label("body", ItemKind::Reflection), "Reflection");
        assert_eq!(
            field_label("organisation", ItemKind::WorkExperience),
            "Employer"
        );
    }

    #[test]
    fn a_draft_round_trips_through_json() {
        let d = Draft {
            form: saved(),
            base_version: Some(3),
            saved_at: Utc::now(),
        };
        let text = serde_json::to_string(&d).unwrap();
        let back: Draft<ItemDraft> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, d);
        // Older or partial drafts still read.
        let partial: Draft<ItemDraft> = serde_json::from_str(
            r#"{"form":{"item":{"kind":"reflection","title":"T"}},"saved_at":"2026-03-01T10:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!(partial.base_version, None);
        assert_eq!(partial.form.item.title, "T");
    }
}

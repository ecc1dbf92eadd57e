//! The embedding surface: `mount(element, options) -> Handle`, exported to
//! JavaScript. `embed/embed.js` (shipped as `dist/embed.js`) wraps it as an ES
//! module and registers the `<connector-refresh>` custom element.
//!
//! Each mount gets its own shadow root (the host page's CSS cannot reach in, ours
//! cannot leak out), its own reactive owner and contexts (two widgets are fully
//! independent), and DOM events on the host element. Unmounting disposes the owner,
//! which stops the clock, aborts in-flight requests and clears every timer.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::auth::Auth;
use crate::app::events::Events;
use crate::app::i18n::{self, I18n};
use crate::app::refresh::RefreshRequests;
use crate::core::options::{Catalogues, EmbedOptions, OptionError};
use crate::ui::widget::Widget;

type Mounted = leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>;

/// What `mount` returns to JavaScript.
#[wasm_bindgen]
pub struct Handle {
    mounted: Rc<RefCell<Option<Mounted>>>,
    container: web_sys::Element,
    auth: Auth,
    requests: RefreshRequests,
    template: crate::core::session::Session,
}

#[wasm_bindgen]
impl Handle {
    /// Refreshes the configuration on screen, as if its button was pressed (the
    /// cooldown and rate-limit rules still apply).
    pub fn refresh(&self) {
        if self.mounted.borrow().is_some() {
            self.requests.request();
        }
    }

    /// Hands over a new token; used for the next request (and signs back in after a 401).
    #[wasm_bindgen(js_name = setToken)]
    pub fn set_token(&self, token: String) -> Result<(), JsValue> {
        let token = token.trim().to_owned();
        if token.is_empty() || token.chars().any(char::is_whitespace) {
            return Err(js_error(&OptionError(
                "setToken: the token must be a non-empty string without spaces".into(),
            )));
        }
        if self.mounted.borrow().is_some() {
            self.auth.set_token(token, Some(self.template.clone()));
        }
        Ok(())
    }

    /// Removes the widget: stops every timer, listener and in-flight request.
    pub fn unmount(&self) {
        if let Some(m) = self.mounted.borrow_mut().take() {
            drop(m);
        }
        self.container.remove();
    }
}

fn js_error(e: &OptionError) -> JsValue {
    js_sys::TypeError::new(&e.to_string()).into()
}

/// Decodes the options object: `getToken` is taken out as a function, the rest
/// goes through serde-wasm-bindgen into `serde_json` values and is validated by
/// the core ([`EmbedOptions::decode`], which names a wrong option).
fn decode_options(
    options: &JsValue,
) -> Result<(EmbedOptions, Option<js_sys::Function>), OptionError> {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    if options.is_undefined() || options.is_null() {
        return EmbedOptions::decode(&serde_json::Map::new(), &origin).map(|o| (o, None));
    }
    let Some(obj) = options
        .dyn_ref::<js_sys::Object>()
        .filter(|_| !options.is_function() && !js_sys::Array::is_array(options))
    else {
        return Err(OptionError("options must be an object".into()));
    };
    let mut map = serde_json::Map::new();
    let mut get_token = None;
    for key in js_sys::Object::keys(obj).iter() {
        let Some(name) = key.as_string() else {
            continue;
        };
        let value = js_sys::Reflect::get(obj, &key).unwrap_or(JsValue::UNDEFINED);
        if name == "getToken" {
            if value.is_undefined() || value.is_null() {
                continue;
            }
            get_token = Some(value.dyn_into::<js_sys::Function>().map_err(|_| {
                OptionError(
                    "option `getToken` must be a function returning a token (or a promise of one)"
                        .into(),
                )
            })?);
            continue;
        }
        if value.is_undefined() {
            continue;
        }
        // Scalars go through serde-wasm-bindgen into a JSON value, validated by
        // the core. No option takes an array or object: those stand in empty, so
        // the core refuses them by type without reading (possibly cyclic) contents
        // (but for `reviewedBaseline`, below).
        // What JSON cannot carry is refused by name: functions and symbols here
        // (serde-wasm-bindgen would read a function as an empty object), BigInts
        // by the deserializer.
        let json = if name == "reviewedBaseline" && value.is_object() {
            // The one object option: data a `connector-refresh:reviewed` event
            // handed out, read through the browser's own JSON (which refuses a
            // cyclic value), then checked by the core.
            js_sys::JSON::stringify(&value)
                .ok()
                .and_then(|s| s.as_string())
                .and_then(|s| serde_json::from_str(&s).ok())
        } else if name == "catalogues" && value.is_object() && !value.is_function() {
            catalogue_urls(&value)
        } else if js_sys::Array::is_array(&value) {
            Some(serde_json::Value::Array(Vec::new()))
        } else if value.is_object() {
            Some(serde_json::Value::Object(serde_json::Map::new()))
        } else if value.is_function() || value.is_symbol() || value.is_bigint() {
            None
        } else {
            serde_wasm_bindgen::from_value::<serde_json::Value>(value).ok()
        };
        let json = json.ok_or_else(|| {
                OptionError(format!(
                    "option `{name}` could not be read: it must be plain data (a string, number, boolean, array or object), not a function, symbol, BigInt or cyclic value"
                ))
            })?;
        map.insert(name, json);
    }
    EmbedOptions::decode(&map, &origin).map(|o| (o, get_token))
}

/// The `catalogues` option given as an object of URLs by language (what the npm
/// package passes): one level is read, and only strings are taken as they are; any
/// other value stands in as `null`, so the core refuses it by name.
fn catalogue_urls(value: &JsValue) -> Option<serde_json::Value> {
    if js_sys::Array::is_array(value) {
        return Some(serde_json::Value::Array(Vec::new()));
    }
    let obj = value.dyn_ref::<js_sys::Object>()?;
    let mut urls = serde_json::Map::new();
    for key in js_sys::Object::keys(obj).iter() {
        let code = key.as_string()?;
        let url = js_sys::Reflect::get(obj, &key).ok()?.as_string();
        urls.insert(
            code,
            url.map_or(serde_json::Value::Null, serde_json::Value::String),
        );
    }
    Some(serde_json::Value::Object(urls))
}

/// Mounts a widget into `element` (inside its shadow root) and resolves to its
/// handle, once the language its `locale` names is loaded. Rejects with a
/// `TypeError` naming the option when an option is wrong.
#[wasm_bindgen]
pub async fn mount(element: web_sys::Element, options: JsValue) -> Result<Handle, JsValue> {
    let (opts, get_token) = decode_options(&options).map_err(|e| js_error(&e))?;
    let reader = i18n::widget_reader(opts.locale.as_deref());
    let base = opts
        .catalogues
        .clone()
        .unwrap_or_else(|| Catalogues::folder("./i18n/"));
    let (tr, failed) = i18n::load(&reader, None, base.clone()).await;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;

    let root: web_sys::ShadowRoot = match element.shadow_root() {
        Some(r) => r,
        None => {
            element.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?
        }
    };
    if opts.theme == crate::core::options::Theme::Auto {
        element.remove_attribute("data-cr-theme")?;
    } else {
        element.set_attribute("data-cr-theme", opts.theme.as_str())?;
    }
    let container = doc.create_element("div")?;
    container.set_class_name("cr-mount");
    if let Some(href) = &opts.stylesheet {
        let link = doc.create_element("link")?;
        link.set_attribute("rel", "stylesheet")?;
        link.set_attribute("href", href)?;
        container.append_child(&link)?;
    }
    let app = doc.create_element("div")?;
    container.append_child(&app)?;
    root.append_child(&container)?;
    let app: web_sys::HtmlElement = app.unchecked_into();

    let template = opts.session.clone();
    let session = (opts.has_token || get_token.is_some()).then(|| opts.session.clone());
    let host = element.clone();
    let setup: Rc<RefCell<Option<(Auth, RefreshRequests)>>> = Rc::new(RefCell::new(None));
    let setup_out = setup.clone();
    let mounted = leptos::mount::mount_to(app, move || {
        Events::provide(Some(host));
        provide_context(crate::ui::Settings {
            default_base_url: opts.session.base_url.clone(),
            page_size: 20,
        });
        let i18n = I18n::provide(tr, base, false, reader);
        if let Some((lang, reason)) = failed {
            i18n.report_failure(lang, reason);
        }
        let auth = Auth::provide_embedded(session, get_token);
        let requests = RefreshRequests::provide();
        *setup_out.borrow_mut() = Some((auth, requests));
        view! { <Widget configuration_id=opts.configuration_id.clone() theme=opts.theme reviewed_baseline=opts.reviewed_baseline.clone()/> }
            .into_any()
    });
    let Some((auth, requests)) = setup.borrow_mut().take() else {
        return Err(JsValue::from_str("connector-refresh: mount failed"));
    };
    Ok(Handle {
        mounted: Rc::new(RefCell::new(Some(mounted))),
        container,
        auth,
        requests,
        template,
    })
}

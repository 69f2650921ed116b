// The shared frame of every staff page: header (site name, VI | EN, navigation by
// role, who is signed in, sign-out), the message boxes, the sign-in form with the
// first sign-in's new-password step, and the session. A page keeps only its own
// view and its own work.
//
// Markup a page provides (the shell fills the three marked places):
//
//   <body class="staff" data-title-key="<i18n key of the page title>">
//     <a class="skip-link" href="#main" data-i18n="skip_link">…</a>
//     <header class="site-header" data-staff-header></header>
//     <main id="main" tabindex="-1">
//       <div data-staff-messages></div>         notice, error, loading
//       <div data-staff-signin></div>           view-signin and view-newpw
//       <section id="view-…" data-testid="view-…" hidden>…the page…</section>
//     </main>
//
// Use (one call, at module start):
//
//   import { startStaffPage } from "./staff-shell.js";
//   const shell = startStaffPage({
//     page: "stats",            // the nav link marked aria-current: tasks, workflow,
//                               // stats, alerts, news, admin (or null)
//     view: "view-stats",       // id of the page's own view, shown once signed in
//     roles: ["reception", …],  // optional: groups that may use the page; others
//                               // get forbiddenKey's message and no view
//     forbiddenKey: "stats_forbidden",
//     onSignedIn(user) {},      // signed in (at start, after a sign-in, after a
//                               // re-render): load and draw the page
//     onSignedOut() {},         // after a sign-out or an expired session: forget
//                               // the page's state (the shell re-renders after)
//     onLanguage(lang) {},      // after VI/EN (header, error, notice are redone)
//   });
//   shell.api      the Api client (session attached; a 401 ends the session)
//   shell.session  the Session ("pakn.staff.session", shared by every staff page)
//   shell.user()   the signed-in user {sub, name, groups, agency_id} or null
//   shell.hasRole(groups)  whether the user is in any of groups
//   shell.render() show sign-in or the page again (calls onSignedIn when signed in)
//
// Navigation (NAV below) is shown by role; "tasks" to the groups that hold tasks. The
// test ids kept from the pages before the shell: site-name, nav-<page>, lang-vi,
// lang-en, user-box, user-name, signout, notice, error, loading, view-signin,
// signin-form, signin-username, signin-password, signin-submit,
// field-error-username, field-error-password; and new ones for the first sign-in:
// view-newpw, newpw-form, newpw-password, newpw-confirm, newpw-submit,
// field-error-new_password, field-error-confirm.
import { Api, ApiError, Session } from "./api.js";
import { t, both, initLangToggle, onLangChange } from "./i18n.js";
import { h, showError, clearError, refreshError, clearNotice, refreshNotice, busy, focusHeading } from "./dom.js";

const LEADERS = ["agency_leader", "province_leader"];

/** The staff pages, in menu order; roles null means every staff member. */
export const NAV = [
  { page: "tasks", href: "./", key: "tasks_title", roles: ["reception", "officer", "agency_leader"] },
  { page: "report", href: "report.html", key: "rl_nav", roles: ["reception", "officer", ...LEADERS, "admin"] },
  { page: "workflow", href: "workflow.html", key: "adm_nav_workflow", roles: ["agency_leader", "admin"] },
  { page: "stats", href: "stats.html", key: "stats_nav", roles: ["reception", ...LEADERS, "admin"] },
  { page: "alerts", href: "alerts.html", key: "alert_nav", roles: ["alert_issuer", ...LEADERS, "admin"] },
  { page: "news", href: "news.html", key: "news_nav", roles: ["editor", "admin"] },
  { page: "admin", href: "admin.html", key: "adm_nav_admin", roles: ["admin"] },
];

const PASSWORD_MIN = 8;

export function startStaffPage(options = {}) {
  const opts = {
    page: null,
    view: null,
    roles: null,
    forbiddenKey: "adm_forbidden",
    onSignedIn: () => {},
    onSignedOut: () => {},
    onLanguage: () => {},
    ...options,
  };
  const session = new Session("pakn.staff.session");
  const api = new Api(session, {
    onUnauthorized: () => {
      clearNotice();
      opts.onSignedOut();
      render();
      showError(new ApiError(both("session_expired")));
    },
  });
  let challenge = null; // {username, session} while a first sign-in waits for a new password

  const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
  const user = () => (session.get() ? session.user : null);
  const groups = () => (user() && user().groups) || [];
  const hasRole = (list) => groups().some((g) => list.includes(g));

  // ------------------------------------------------------------ markup

  function drawHeader() {
    const header = document.querySelector("[data-staff-header]");
    header.classList.add("site-header");
    header.replaceChildren(
      h(
        "div",
        { class: "header-row" },
        h("a", { class: "brand", href: "./", testid: "site-name", "data-i18n": "staff_site_name" }),
        h(
          "div",
          { class: "lang-toggle", role: "group", "data-i18n-aria-label": "lang_label" },
          h("button", { type: "button", "data-lang": "vi", lang: "vi", testid: "lang-vi" }, "VI"),
          h("span", { "aria-hidden": "true" }, "|"),
          h("button", { type: "button", "data-lang": "en", lang: "en", testid: "lang-en" }, "EN"),
        ),
      ),
      h(
        "div",
        { class: "header-row" },
        h(
          "nav",
          { class: "main-nav", "data-i18n-aria-label": "main_nav" },
          NAV.map((item) =>
            h("a", {
              href: item.href,
              testid: `nav-${item.page}`,
              "data-i18n": item.key,
              "aria-current": item.page === opts.page ? "page" : null,
              hidden: true,
            }),
          ),
        ),
        h(
          "div",
          { class: "user-box", testid: "user-box", hidden: true },
          h("span", { testid: "user-name" }),
          h("button", { type: "button", class: "secondary", testid: "signout", "data-i18n": "sign_out", onclick: onSignOut }),
        ),
      ),
    );
  }

  function drawMessages() {
    const slot = document.querySelector("[data-staff-messages]");
    slot.replaceWith(
      h("p", { class: "notice", testid: "notice", role: "status", hidden: true }),
      h("div", { class: "error", testid: "error", role: "alert", tabindex: "-1", hidden: true }),
      h("p", { class: "loading", testid: "loading", "aria-live": "polite", hidden: true, "data-i18n": "loading" }),
    );
  }

  function field({ id, name, label, type, autocomplete, testid }) {
    return h(
      "div",
      { class: "field" },
      h("label", { for: id, "data-i18n": label }),
      h("input", {
        id,
        name,
        type,
        autocomplete,
        autocapitalize: type === "text" ? "none" : null,
        spellcheck: type === "text" ? "false" : null,
        required: true,
        "data-field": name,
        testid,
        "aria-describedby": `${id}-error`,
      }),
      h("p", { class: "field-error", id: `${id}-error`, "data-field-error": name, testid: `field-error-${name}`, hidden: true }),
    );
  }

  function drawSignIn() {
    const slot = document.querySelector("[data-staff-signin]");
    slot.replaceWith(
      h(
        "section",
        { id: "view-signin", class: "view panel narrow", testid: "view-signin", "aria-labelledby": "signin-h", hidden: true },
        h("h1", { id: "signin-h", "data-i18n": "staff_sign_in_title" }),
        h(
          "form",
          { testid: "signin-form", novalidate: true, onsubmit: onSignIn },
          field({ id: "signin-username", name: "username", label: "username", type: "text", autocomplete: "username", testid: "signin-username" }),
          field({ id: "signin-password", name: "password", label: "password", type: "password", autocomplete: "current-password", testid: "signin-password" }),
          h("button", { type: "submit", testid: "signin-submit", "data-i18n": "sign_in" }),
        ),
      ),
      h(
        "section",
        { id: "view-newpw", class: "view panel narrow", testid: "view-newpw", "aria-labelledby": "newpw-h", hidden: true },
        h("h1", { id: "newpw-h", "data-i18n": "adm_newpw_title" }),
        h("p", { class: "hint", "data-i18n": "adm_newpw_intro" }),
        h(
          "form",
          { testid: "newpw-form", novalidate: true, onsubmit: onNewPassword },
          field({ id: "newpw-password", name: "new_password", label: "adm_newpw_password", type: "password", autocomplete: "new-password", testid: "newpw-password" }),
          field({ id: "newpw-confirm", name: "confirm", label: "adm_newpw_confirm", type: "password", autocomplete: "new-password", testid: "newpw-confirm" }),
          h("button", { type: "submit", testid: "newpw-submit", "data-i18n": "adm_newpw_submit" }),
        ),
      ),
    );
  }

  // ------------------------------------------------------------ state

  function updateHeader() {
    const u = user();
    $("user-box").hidden = !u;
    $("user-name").textContent = u ? t("signed_in_as", { name: u.name || u.sub || "" }) : "";
    for (const item of NAV) {
      $(`nav-${item.page}`).hidden = !u ? item.page !== "tasks" : !!item.roles && !hasRole(item.roles);
    }
    // The site's name leads to the first page of the menu this person may use (an
    // editor's is the news page, not the task list meant for others).
    const home = u && NAV.find((item) => !item.roles || hasRole(item.roles));
    $("site-name").setAttribute("href", home ? home.href : "./");
  }

  function render() {
    updateHeader();
    const signedIn = !!user();
    const page = opts.view ? document.getElementById(opts.view) : null;
    document.getElementById("view-signin").hidden = signedIn || !!challenge;
    document.getElementById("view-newpw").hidden = signedIn || !challenge;
    if (!signedIn) {
      if (page) page.hidden = true;
      focusHeading(document.getElementById(challenge ? "view-newpw" : "view-signin"));
      return;
    }
    if (opts.roles && !hasRole(opts.roles)) {
      // The API would refuse too; say so rather than show a page that cannot work.
      if (page) page.hidden = true;
      showError(new ApiError({ code: "forbidden", ...both(opts.forbiddenKey) }));
      return;
    }
    if (page) page.hidden = false;
    opts.onSignedIn(session.user);
  }

  // ------------------------------------------------------------ sign-in / out

  function missing(form, names) {
    const fields = {};
    for (const name of names) if (!form.elements[name].value.trim()) fields[name] = both("required");
    return fields;
  }

  async function onSignIn(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    clearError();
    clearNotice();
    const fields = missing(form, ["username", "password"]);
    if (Object.keys(fields).length) {
      showError(new ApiError({ code: "validation", ...both("check_fields"), fields }), form);
      return;
    }
    const restore = busy($("signin-submit"), "signing_in");
    try {
      const data = await api.post("/v1/auth/sign-in", {
        username: form.elements.username.value.trim(),
        password: form.elements.password.value,
      });
      if (data && data.challenge) {
        // A first sign-in (or one after a reset): the temporary password must go.
        challenge = { username: data.username, session: data.session };
      } else {
        session.save(data);
      }
      form.reset();
      render();
    } catch (e) {
      showError(e, form);
    } finally {
      restore();
    }
  }

  async function onNewPassword(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    clearError();
    const password = form.elements.new_password.value;
    const fields = missing(form, ["new_password", "confirm"]);
    if (!fields.new_password && password.length < PASSWORD_MIN) fields.new_password = both("adm_newpw_short", { n: PASSWORD_MIN });
    if (!fields.confirm && form.elements.confirm.value !== password) fields.confirm = both("adm_newpw_mismatch");
    if (Object.keys(fields).length) {
      showError(new ApiError({ code: "validation", ...both("check_fields"), fields }), form);
      return;
    }
    const restore = busy($("newpw-submit"), "signing_in");
    try {
      const data = await api.post("/v1/auth/new-password", { ...challenge, new_password: password });
      session.save(data);
      challenge = null;
      form.reset();
      render();
    } catch (e) {
      if (e.status === 401) {
        // The sign-in's session ran out: start again from the temporary password.
        challenge = null;
        render();
      }
      showError(e, form);
    } finally {
      restore();
    }
  }

  async function onSignOut() {
    clearError();
    clearNotice();
    try {
      await api.signOut();
    } catch {
      /* the local session is gone either way */
    }
    opts.onSignedOut();
    render();
  }

  // ------------------------------------------------------------ start

  drawHeader();
  drawMessages();
  drawSignIn();
  initLangToggle(document);
  onLangChange((lang) => {
    updateHeader();
    refreshError();
    refreshNotice();
    opts.onLanguage(lang);
  });

  const shell = { api, session, user, hasRole, render };
  // The page's module finishes its own start (listeners) before the first render.
  queueMicrotask(render);
  return shell;
}

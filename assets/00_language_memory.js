/* The UI language in the browser (see pages/_frame.py).
 *
 * - The language lives in the URL (?lang=tg|ru|en) and is remembered in localStorage by the
 *   dcc.Store "language-memory". This file runs before Dash starts: a URL without lang gets the
 *   remembered one added in place (replaceState: no extra history entry, back is not trapped), so
 *   the first render is already in the right language.
 * - Plotly's own texts (modebar, date axes, number separators) follow the language: the locale
 *   files plotly-locale-ru.js / plotly-locale-tg.js are registered by plotly.js when it loads, and
 *   the locale is set as plotly's default config as soon as plotly.js exists and on every change.
 */
(function () {
    var LANGUAGES = ["tg", "ru", "en"];
    var MEMORY = "language-memory"; // the dcc.Store id; dcc.Store keeps JSON under its id
    var current = null; // the language the page is shown in, once known

    function valid(lang) {
        return LANGUAGES.indexOf(lang) >= 0 ? lang : null;
    }

    function remembered(stored) {
        if (stored === undefined) {
            try {
                stored = JSON.parse(window.localStorage.getItem(MEMORY));
            } catch (e) {
                stored = null;
            }
        }
        return valid(stored);
    }

    function languageOf(search) {
        return valid(new URLSearchParams(search || "").get("lang"));
    }

    function usePlotlyLocale(lang) {
        current = lang;
        document.documentElement.lang = lang;
        if (window.Plotly && window.Plotly.setPlotConfig) {
            window.Plotly.setPlotConfig({locale: lang});
        }
    }

    /* plotly.js is loaded by dcc.Graph after this file; it ends with `window.Plotly = Plotly`.
     * Catch that moment so no chart is ever drawn before its locale is set. */
    var plotly = window.Plotly;
    Object.defineProperty(window, "Plotly", {
        configurable: true,
        get: function () {
            return plotly;
        },
        set: function (value) {
            plotly = value;
            if (current && value && value.setPlotConfig) {
                value.setPlotConfig({locale: current});
            }
        },
    });

    /* Add lang to the current URL without a new history entry. */
    function addLanguage(lang) {
        var params = new URLSearchParams(window.location.search);
        params.set("lang", lang);
        var url = window.location.pathname + "?" + params.toString() + window.location.hash;
        window.history.replaceState(window.history.state, "", url);
    }

    var initial = languageOf(window.location.search) || remembered();
    if (initial) {
        if (!languageOf(window.location.search)) {
            addLanguage(initial);
        }
        usePlotlyLocale(initial);
    }

    /* Dash pages set document.title to the page's registered (English) title after each
     * navigation; put the title in the UI language instead, whichever comes first. */
    var titles = {};
    var english = null; // the registered title of the page shown
    function translateTitle() {
        if (titles.hasOwnProperty(document.title)) {
            english = document.title;
        }
        var wanted = english && titles[english];
        if (wanted && wanted !== document.title) {
            document.title = wanted;
        }
    }
    document.addEventListener("DOMContentLoaded", function () {
        var head = document.querySelector("head");
        new MutationObserver(translateTitle).observe(head, {subtree: true, childList: true, characterData: true});
    });

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        i18n: {
            /* The page titles in the UI language, from the server (pages/_frame.py). */
            titles: function (data) {
                titles = data || {};
                translateTitle();
                return window.dash_clientside.no_update;
            },
            /* Remember the URL's language; give a URL without one the remembered language. */
            remember: function (search, stored, fallback) {
                var lang = languageOf(search);
                if (lang) {
                    usePlotlyLocale(lang);
                    return lang === stored ? window.dash_clientside.no_update : lang;
                }
                var memory = remembered(stored);
                if (memory) {
                    addLanguage(memory);
                    usePlotlyLocale(memory);
                    // the event dcc.Location and dcc.Link send: every Location re-reads the URL
                    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
                } else if (valid(fallback)) {
                    usePlotlyLocale(fallback);
                }
                return window.dash_clientside.no_update;
            },
            /* A filter change rewrites the page's own URL without a page render (pages/_view_routing.py):
               the language links follow it, so switching language keeps the view. */
            followPage: function (search, pathname) {
                var path = pathname || window.location.pathname;
                return LANGUAGES.map(function (code) {
                    var params = new URLSearchParams(search || "");
                    params.delete("lang");
                    params.append("lang", code);
                    return path + "?" + params.toString();
                });
            },
            /* The navbar toggler opens and closes the collapsed menu on small screens. */
            toggle: function (clicks, isOpen) {
                return !isOpen;
            },
        },
    });
})();

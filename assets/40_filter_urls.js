/* The navigate callbacks of /park, /targets and /data (see those page modules), in the browser.
 *
 * A control writes the page's filters into the URL (one history entry, no page render), keeping
 * every other key; the charts' callbacks follow the URL. Back/forward sets the controls from the
 * URL, unknown values falling back as the server's parsing does. Each callback follows its page's
 * own "history" location rather than the shared page location, whose changes on other pages would
 * reach it too (with its controls absent); both locations get the new search and href, else the
 * second would push its old href back.
 */
(function () {
    function clientside() {
        return window.dash_clientside;
    }

    function fromHistory(id) {
        return clientside().callback_context.triggered.some(function (t) {
            return t.prop_id === id + ".search";
        });
    }

    /* [page search, page href, history search, history href] for the filters ``values`` ({key: value
     * or null}) written into ``search``; no_update when the URL says that already. */
    function written(search, values) {
        var none = clientside().no_update;
        var params = new URLSearchParams(search || "");
        var keys = Object.keys(values);
        keys.forEach(function (key) { params.delete(key); });
        keys.forEach(function (key) {
            if (values[key]) { params.set(key, values[key]); }
        });
        var text = params.toString() ? "?" + params.toString() : "";
        if (text === (search || "")) { return [none, none, none, none]; }
        var href = window.location.origin + window.location.pathname + text;
        return [text, href, text, href];
    }

    function known(options, value) {
        return (options || []).some(function (o) { return o.value === value; }) ? value : null;
    }

    /* The control's new value, or no_update when it shows that already. */
    function setTo(value, shown) {
        return value === (shown === undefined ? null : shown) ? clientside().no_update : value;
    }

    function isoDay(text) {
        var day = new Date(text + "T00:00:00Z");
        var valid = /^\d{4}-\d{2}-\d{2}$/.test(text || "") && !isNaN(day) && day.toISOString().slice(0, 10) === text;
        return valid && text >= "2000" && text < "2101";
    }

    function today() {
        var now = new Date();
        return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
    }

    var none4 = function () { var n = clientside().no_update; return [n, n, n, n]; };

    window.dash_clientside = window.dash_clientside || {};
    window.dash_clientside.filter_urls = {
        park: function (building, asOf, search, options) {
            var params = new URLSearchParams(search || "");
            if (fromHistory("park-history")) {
                var asked = known(options, params.get("building"));
                var day = params.get("as_of");
                return none4().concat([
                    setTo(asked && asked !== "all" ? asked : "all", building),
                    setTo(isoDay(day) ? day : today(), asOf),
                ]);
            }
            var chosen = building && building !== "all" ? building : null;
            return written(search, {building: chosen, as_of: asOf ? String(asOf).slice(0, 10) : null})
                .concat([clientside().no_update, clientside().no_update]);
        },
        targets: function (theme, region, search, themes, regions) {
            var params = new URLSearchParams(search || "");
            if (fromHistory("tgt-history")) {
                return none4().concat([
                    setTo(known(themes, params.get("theme")), theme),
                    setTo(known(regions, params.get("region")), region),
                ]);
            }
            return written(search, {theme: theme, region: region})
                .concat([clientside().no_update, clientside().no_update]);
        },
        catalogue: function (theme, kind, q, search, themes, kinds, maxLength) {
            var params = new URLSearchParams(search || "");
            if (fromHistory("data-history")) {
                return none4().concat([
                    setTo(known(themes, params.get("theme")), theme),
                    setTo(known(kinds, params.get("kind")), kind),
                    setTo((params.get("q") || "").trim().slice(0, maxLength), q || ""),
                ]);
            }
            var text = (q || "").trim();
            return written(search, {theme: theme, kind: kind, q: text, indicator: null})
                .concat([clientside().no_update, clientside().no_update, clientside().no_update]);
        },
    };
})();

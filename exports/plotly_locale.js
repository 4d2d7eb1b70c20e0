/* Loaded into the export browser's page after plotly.js and the app's locales (exports/renderer.py).
 * Kaleido passes plotly.js only a figure's data and layout, never its config, so the report's
 * language travels in the layout (``tjLocale``, an attribute plotly.js ignores) and becomes
 * ``config.locale`` here: month names, decimal sign and digit grouping as in the dashboard. */
(function () {
    var toImage = Plotly.toImage;
    Plotly.toImage = function (gd, opts) {
        var locale = gd && gd.layout && gd.layout.tjLocale;
        if (locale) {
            gd = Object.assign({}, gd, { config: Object.assign({}, gd.config || {}, { locale: locale }) });
        }
        return toImage.call(this, gd, opts);
    };
})();

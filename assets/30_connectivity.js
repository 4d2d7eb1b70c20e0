/* The /connectivity map's selected unit, outlined in the browser (see pages/connectivity.py).
 *
 * The map's units are filled scatter traces whose ``meta`` is the unit code
 * (components/district_map.py). Selecting a district needs no data from the server: this
 * callback patches the line of the unit that loses the bold outline and of the one that gets it,
 * and leaves the rest of the figure (geometry, colours) as it is.
 */
(function () {
    var LINE = {color: "#ffffff", width: 0.6};
    var SELECTED_LINE = {color: "#212529", width: 3};

    window.dash_clientside = window.dash_clientside || {};
    window.dash_clientside.connectivity = {
        outline: function (slice, figure) {
            var clientside = window.dash_clientside;
            if (!figure || !figure.data) {
                return clientside.no_update;
            }
            var selected = slice ? slice.selected : null;
            var patch = new clientside.Patch();
            var changed = false;
            figure.data.forEach(function (trace, i) {
                if (trace.fill !== "toself") {
                    return; // region outlines and the colour bar
                }
                var bold = Boolean(trace.line && trace.line.width > LINE.width);
                if (bold !== (trace.meta === selected)) {
                    patch.assign(["data", i, "line"], bold ? LINE : SELECTED_LINE);
                    changed = true;
                }
            });
            return changed ? patch.build() : clientside.no_update;
        },
    };
})();

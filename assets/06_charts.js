/* Charts for keyboard and screen-reader users (issue 17); the markup is components/chart_card.py.

   - The modebar's buttons (zoom, pan, reset) stay out of the Tab order until focus is inside
     their chart: the chart's wrapper (role="figure", named by the card title, described by the
     summary under the chart) is one Tab stop; Tab from it reaches its buttons, and they leave the
     Tab order again when focus leaves the chart. Before this, 34 Tab stops a page were toolbar
     buttons.
   - "Show as table" shows the numbers of the live figure as a table (caption = the card's
     title, a header row, one row per x value, one column per series), built here from the
     figure the chart draws, so it costs the first page load nothing and follows every filter
     change: it is rebuilt after each redraw while it is open. Numbers have the decimals of the
     chart's hover and the separators of its plotly.js locale. */
(function () {
    'use strict';

    const WRAPPER = '.chart-figure';

    function plotOf(wrapper) {
        return wrapper && wrapper.querySelector('.js-plotly-plot');
    }

    function setButtons(wrapper, inside) {
        wrapper.querySelectorAll('.modebar-btn').forEach(function (button) {
            const wanted = inside ? '0' : '-1';
            if (button.getAttribute('tabindex') !== wanted) { button.setAttribute('tabindex', wanted); }
        });
    }

    // ---------------------------------------------------------------- the table

    function decimalsOf(trace, axis, values) {
        const template = typeof trace.hovertemplate === 'string' ? trace.hovertemplate : '';
        const fixed = template.match(new RegExp('%\\{' + axis + ':[^}]*?\\.(\\d+)f'));
        if (fixed) { return parseInt(fixed[1], 10); }
        if (new RegExp('%\\{' + axis + ':[+,]*\\}').test(template)) { return 0; }
        for (let d = 0; d <= 2; d++) {
            const scale = Math.pow(10, d);
            if (values.every(function (v) { return Math.abs(v * scale - Math.round(v * scale)) < 1e-6; })) { return d; }
        }
        return 2;
    }

    function formatter(gd) {
        const separators = (gd._fullLayout && gd._fullLayout.separators) || '.,';
        const decimal = separators.charAt(0) || '.';
        const thousands = separators.charAt(1) || '';
        return function (value, decimals) {
            if (value === null || value === undefined || !isFinite(value)) { return '—'; }
            const sign = value < 0 ? '−' : '';
            const parts = Math.abs(value).toFixed(decimals).split('.');
            const whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, thousands);
            return sign + whole + (parts.length > 1 ? decimal + parts[1] : '');
        };
    }

    /* The x values of one series as the chart names them (the rule of components/chart_summary.py):
       years for one date a year at its start or end, quarters for quarter starts or ends, months
       for month starts or ends, the day otherwise. */
    let quarterWords = ['{year}-Q1', '{year}-Q2', '{year}-Q3', '{year}-Q4'];  // set from the card's toggle

    function quarter(year, q) {
        return quarterWords[q - 1].replace('{year}', year);
    }

    function inWords(text) {  // a period code ("2026-Q3") as the page writes it
        const found = /^(\d{4})-Q([1-4])$/.exec(text);
        return found ? quarter(found[1], +found[2]) : text;
    }

    function labels(values) {
        const texts = Array.from(values, function (v) { return v instanceof Date ? v.toISOString() : String(v); });
        const days = texts.map(function (t) { return t.match(/^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/); });
        if (!texts.length || !days.every(Boolean)) { return texts; }
        const parts = days.map(function (d) { return {y: +d[1], m: +d[2], d: +d[3], md: d[2] + '-' + d[3]}; });
        const within = function (set) { return parts.every(function (p) { return set.indexOf(p.md) >= 0; }); };
        const two = function (n) { return (n < 10 ? '0' : '') + n; };
        if (new Set(parts.map(function (p) { return p.y; })).size === parts.length && within(['01-01', '12-31'])) {
            return parts.map(function (p) { return String(p.y); });
        }
        if (within(['03-31', '06-30', '09-30', '12-31']) || within(['01-01', '04-01', '07-01', '10-01'])) {
            return parts.map(function (p) { return quarter(p.y, Math.floor((p.m - 1) / 3) + 1); });
        }
        const monthEnd = function (p) { return new Date(Date.UTC(p.y, p.m, 0)).getUTCDate() === p.d; };
        if (parts.every(function (p) { return p.d === 1; }) || parts.every(monthEnd)) {
            return parts.map(function (p) { return p.y + '-' + two(p.m); });
        }
        return parts.map(function (p) { return p.y + '-' + p.md; });
    }

    function number(value) {
        if (value === null || value === undefined || value === '') { return null; }
        const n = Number(value);
        return isFinite(n) ? n : null;
    }

    /* A chart text as one line: titles are wrapped with <br> for narrow screens (figures.wrap). */
    function oneLine(text) {
        return String(text).replace(/<br\s*\/?>/gi, ' ');
    }

    function axisTitle(layout, name) {
        const axis = layout && layout[name];
        const title = axis && axis.title;
        return oneLine((title && (title.text || (typeof title === 'string' ? title : ''))) || '');
    }

    function panelTitles(layout) {
        return (layout.annotations || []).filter(function (a) {
            return a.xref === 'paper' && a.yref === 'paper' && !a.showarrow && a.text;
        }).map(function (a) { return oneLine(a.text); });
    }

    /* {rows: [label], columns: [{name, cells: {label: value}, decimals}], unit, first} */
    function tableData(gd, words) {
        const layout = gd._fullLayout || {};
        const traces = (gd._fullData || []).filter(function (trace) {
            return trace.visible === true && trace.hoverinfo !== 'skip' && trace.meta !== 'model';
        });
        const shapes = traces.filter(function (trace) { return trace.fill === 'toself'; });
        if (shapes.length) {  // a map: one row per area, its value
            const bar = (gd._fullData || []).find(function (trace) { return trace.marker && trace.marker.colorbar; });
            const unit = (bar && bar.marker.colorbar.title && bar.marker.colorbar.title.text) || '';
            const cells = {};
            const values = [];
            shapes.forEach(function (trace) {
                const value = number(trace.customdata && trace.customdata[0]);
                cells[trace.name] = value;
                if (value !== null) { values.push(value); }
            });
            const rows = Object.keys(cells).sort(function (a, b) { return a.localeCompare(b); });
            return {rows: rows, first: words.category, unit: '',
                    columns: [{name: unit || words.value, cells: cells, decimals: decimalsOf({}, 'x', values)}]};
        }
        const horizontal = traces.some(function (trace) { return trace.type === 'bar' && trace.orientation === 'h'; });
        const axes = new Set(traces.map(function (trace) { return trace.yaxis || 'y'; }));
        const titles = axes.size > 1 ? panelTitles(layout) : [];
        const seen = new Map();
        const columns = [];
        traces.forEach(function (trace) {
            const keys = horizontal ? trace.y : trace.x;
            const vals = horizontal ? trace.x : trace.y;
            if (!keys || !vals) { return; }
            const custom = !horizontal && trace.customdata && trace.customdata.length === keys.length ? trace.customdata : null;
            const cells = {};
            const values = [];
            const names = labels(keys);
            for (let i = 0; i < keys.length; i++) {
                const value = number(vals[i]);
                let name = names[i];
                const first = custom && (Array.isArray(custom[i]) ? custom[i][0] : custom[i]);
                if (typeof first === 'string' && first && trace.type !== 'bar') { name = inWords(first); }
                if (!seen.has(name)) { seen.set(name, keys[i]); }
                if (value === null) { continue; }
                cells[name] = (cells[name] || 0) + value;
                values.push(value);
            }
            const panel = titles[(parseInt((trace.yaxis || 'y').slice(1), 10) || 1) - 1];
            const name = trace.name || words.value;
            columns.push({name: panel ? panel + ': ' + name : name, cells: cells,
                          decimals: decimalsOf(trace, horizontal ? 'x' : 'y', values)});
        });
        let rows = Array.from(seen.keys());
        const category = layout[horizontal ? 'yaxis' : 'xaxis'] || {};
        if (category.type === 'category' && category._categories) {
            const order = category._categories.map(String);
            rows.sort(function (a, b) { return order.indexOf(String(seen.get(a))) - order.indexOf(String(seen.get(b))); });
        } else if (category.type === 'date' || category.type === 'linear') {
            rows.sort(function (a, b) {
                const x = seen.get(a), y = seen.get(b);
                return x < y ? -1 : x > y ? 1 : 0;
            });
        }
        if (horizontal && category.autorange !== 'reversed') { rows = rows.reverse(); }  // as drawn, top first
        const unit = axisTitle(layout, horizontal ? 'xaxis' : 'yaxis');
        const first = category.type === 'date' || (!horizontal && category.type === 'linear') ? words.period : words.category;
        return {rows: rows, columns: columns, unit: unit, first: first};
    }

    function cell(tag, text, attrs) {
        const element = document.createElement(tag);
        element.textContent = text;
        Object.keys(attrs || {}).forEach(function (name) { element.setAttribute(name, attrs[name]); });
        return element;
    }

    function drawTable(toggle) {
        const box = document.getElementById(toggle.getAttribute('aria-controls'));
        const card = toggle.closest('.card');
        const wrapper = card && card.querySelector(WRAPPER);
        const gd = plotOf(wrapper);
        if (!box || !gd || !gd._fullData) { return; }
        const words = {period: toggle.dataset.period, category: toggle.dataset.category, value: toggle.dataset.value};
        if (toggle.dataset.quarters) { quarterWords = toggle.dataset.quarters.split('|'); }
        const data = tableData(gd, words);
        const format = formatter(gd);
        const titleId = wrapper.getAttribute('aria-labelledby');
        const title = titleId && document.getElementById(titleId);
        const table = document.createElement('table');
        table.className = 'table table-sm table-striped small mb-0 caption-top';
        const caption = (title ? title.textContent.trim() : '') + (data.unit ? ' (' + data.unit + ')' : '');
        table.appendChild(cell('caption', caption));
        const head = document.createElement('thead');
        const top = document.createElement('tr');
        top.appendChild(cell('th', data.first, {scope: 'col'}));
        data.columns.forEach(function (column) { top.appendChild(cell('th', column.name, {scope: 'col', class: 'text-end'})); });
        head.appendChild(top);
        table.appendChild(head);
        const body = document.createElement('tbody');
        data.rows.forEach(function (row) {
            const tr = document.createElement('tr');
            tr.appendChild(cell('th', row, {scope: 'row'}));
            data.columns.forEach(function (column) {
                const value = Object.prototype.hasOwnProperty.call(column.cells, row) ? column.cells[row] : null;
                tr.appendChild(cell('td', format(value, column.decimals), {class: 'text-end'}));
            });
            body.appendChild(tr);
        });
        table.appendChild(body);
        box.replaceChildren(table);
    }

    function setOpen(toggle, open) {
        const box = document.getElementById(toggle.getAttribute('aria-controls'));
        if (!box) { return; }
        toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
        toggle.textContent = open ? toggle.dataset.hide : toggle.dataset.show;
        if (open) { drawTable(toggle); } else { box.replaceChildren(); }
        box.hidden = !open;
    }

    function refresh(wrapper) {
        const card = wrapper.closest('.card');
        const toggle = card && card.querySelector('.chart-table-toggle');
        if (toggle && toggle.getAttribute('aria-expanded') === 'true') { drawTable(toggle); }
        setButtons(wrapper, wrapper.contains(document.activeElement));
    }

    // ---------------------------------------------------------------- wiring

    function hook(wrapper) {
        const gd = plotOf(wrapper);
        if (!gd || gd.dataset.chartHooked || typeof gd.on !== 'function') { return; }
        gd.dataset.chartHooked = '1';
        gd.on('plotly_afterplot', function () { refresh(wrapper); });
        refresh(wrapper);
    }

    function fixAll() {
        document.querySelectorAll(WRAPPER).forEach(function (wrapper) {
            hook(wrapper);
            setButtons(wrapper, wrapper.contains(document.activeElement));
        });
    }

    let frame = 0;  // one pass a frame, however many mutations (plotly's hover labels are many)
    function schedule() {
        if (!frame) { frame = window.requestAnimationFrame(function () { frame = 0; fixAll(); }); }
    }

    function start() {
        document.addEventListener('click', function (event) {
            const toggle = event.target.closest && event.target.closest('.chart-table-toggle');
            if (toggle) { setOpen(toggle, toggle.getAttribute('aria-expanded') !== 'true'); }
        });
        document.addEventListener('focusin', function (event) {
            const wrapper = event.target.closest && event.target.closest(WRAPPER);
            if (wrapper) { setButtons(wrapper, true); }
        });
        document.addEventListener('focusout', function (event) {
            const wrapper = event.target.closest && event.target.closest(WRAPPER);
            if (wrapper && !(event.relatedTarget && wrapper.contains(event.relatedTarget))) { setButtons(wrapper, false); }
        });
        fixAll();
        new MutationObserver(schedule).observe(document.body, {childList: true, subtree: true});
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
})();

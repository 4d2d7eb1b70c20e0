/* Keyboard and screen-reader fixes for widgets whose markup the app does not write itself
   (Dash 4's dropdown and date picker, Bootstrap's scrolling tables). Applied to every element
   as it appears and again whenever the widget rewrites the attribute, so each page stays clean
   under axe-core's WCAG 2.1 A/AA rules (tests/integration/test_accessibility.py).

   - Dash 4's dropdown takes keyboard focus on a hidden, aria-hidden input that hands it to the
     real (untabbable) button: the button becomes the tab stop and the hidden input leaves the
     tab order, so nothing aria-hidden can be focused. The button is named by its label, then
     its value (Dash names it by the value only).
   - Its open list marks each option both as an ARIA option and as a label around a native radio
     (or checkbox) that does the choosing: the list becomes the radio group (or group) of those
     native inputs, named after the dropdown's label, so no control sits inside another.
   - Dash 4's date picker sets aria-expanded and aria-haspopup on a plain div, where ARIA does not
     allow them: they go (the date input, named by its label, opens the calendar). Its open
     calendar's buttons ("Previous month", "Close calendar"...) and year field are named in the
     page's language, with the words the page puts next to the picker (i18n.calendar_labels).
   - A table that scrolls sideways (.table-responsive) can be scrolled from the keyboard: it is
     a focusable region named after its table's caption or the nearest heading.
   - Each card's "Download" menu button is named after its card ("Download: 4G coverage by
     district"), so a screen reader's list of buttons says which chart each one downloads. */
(function () {
    'use strict';

    function fixDropdown(target) {
        if (target.getAttribute('tabindex') !== '-1') { target.setAttribute('tabindex', '-1'); }
        const wrapper = target.closest('.dash-dropdown-wrapper');
        const button = wrapper && wrapper.querySelector('button');
        if (button && !button.disabled && button.getAttribute('tabindex') !== '0') {
            button.setAttribute('tabindex', '0');
        }
        nameByLabel(button);
    }

    // The button is named by its value alone ("Whole park"): its label comes first ("Building:
    // Whole park"), so a screen reader says what is chosen and what for.
    function nameByLabel(button) {
        const label = button && button.id && document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
        if (!label) { return; }
        if (!label.id) { label.id = button.id + '-label'; }
        const ids = (button.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
        if (ids[0] === label.id) { return; }
        button.setAttribute('aria-labelledby', [label.id].concat(ids.filter(function (id) { return id !== label.id; })).join(' '));
    }

    function openDropdownName() {
        const button = document.querySelector('.dash-dropdown-wrapper button[aria-expanded="true"]');
        const label = button && button.id && document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
        return label ? label.textContent.trim() : '';
    }

    function fixOptions(list) {
        const name = openDropdownName();
        if (name && list.getAttribute('aria-label') !== name) { list.setAttribute('aria-label', name); }
        const group = list.querySelector('input[type="radio"]') ? 'radiogroup' : 'group';
        if (list.getAttribute('role') !== group) { list.setAttribute('role', group); }
        list.querySelectorAll('[role="option"]').forEach(function (option) {
            option.removeAttribute('role');
            option.removeAttribute('aria-selected');
        });
    }

    function fixDatePicker(wrapper) {
        ['aria-expanded', 'aria-haspopup'].forEach(function (name) {
            if (wrapper.hasAttribute(name)) { wrapper.removeAttribute(name); }
        });
    }

    // Dash's English name of a calendar part -> the data attribute holding it in the page's language
    const CALENDAR = {
        'Previous month': 'calendarPreviousMonth', 'Next month': 'calendarNextMonth',
        'Close calendar': 'calendarClose', 'Clear date': 'calendarClear', 'Clear Dates': 'calendarClear',
        'Increase value': 'calendarIncrease', 'Decrease value': 'calendarDecrease',  // the year field's steppers
    };

    function calendarWords() {
        const holder = document.querySelector('[data-calendar-year]');
        return holder ? holder.dataset : {};
    }

    function fixCalendar(controls) {
        const name = calendarWords().calendarYear || 'Year';
        controls.querySelectorAll('input').forEach(function (input) {
            if (!input.labels.length && input.getAttribute('aria-label') !== name) { input.setAttribute('aria-label', name); }
        });
    }

    function fixCalendarButton(button) {
        if (!button.dataset.englishLabel) { button.dataset.englishLabel = button.getAttribute('aria-label') || ''; }
        const english = button.dataset.englishLabel;
        const name = calendarWords()[CALENDAR[english]] || english;
        if (name && button.getAttribute('aria-label') !== name) { button.setAttribute('aria-label', name); }
    }

    // An element's words, its parts' texts joined by spaces: a heading with a badge in it read
    // "4Gмаълумоти намоишии сунъӣ" as textContent.
    function textOf(element) {
        const parts = [];
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.nodeValue.trim()) { parts.push(node.nodeValue.trim()); }
        }
        return parts.join(' ');
    }

    function regionName(region) {
        const caption = region.querySelector('caption');
        if (caption && caption.textContent.trim()) { return textOf(caption); }
        const card = region.closest('.card, section, .mb-3, .mt-3');
        // else the page's heading: the document's title may still be Dash's English one
        const heading = (card && card.querySelector('h1, h2, h3, h4, h5, h6')) || document.querySelector('main h1, h1');
        return heading ? textOf(heading) : document.title;
    }

    function fixRegion(region) {
        if (!region.hasAttribute('tabindex')) { region.setAttribute('tabindex', '0'); }
        if (!region.hasAttribute('role')) { region.setAttribute('role', 'region'); }
        if (!region.hasAttribute('aria-label') && !region.hasAttribute('aria-labelledby')) {
            region.setAttribute('aria-label', regionName(region));
        }
    }

    function fixDownload(toggle) {
        const card = toggle.closest('.card');
        const heading = card && card.querySelector('h2, h3');
        if (!heading) { return; }
        const name = textOf(toggle) + ': ' + textOf(heading);
        if (toggle.getAttribute('aria-label') !== name) { toggle.setAttribute('aria-label', name); }
    }

    function fixAll(root) {
        if (!root.querySelectorAll) { return; }
        root.querySelectorAll('.dash-dropdown-focus-target').forEach(fixDropdown);
        root.querySelectorAll('.dash-options-list').forEach(fixOptions);
        root.querySelectorAll('.dash-datepicker-input-wrapper').forEach(fixDatePicker);
        root.querySelectorAll('.dash-datepicker-controls').forEach(fixCalendar);
        root.querySelectorAll(
            '.dash-datepicker-month-nav, .dash-datepicker-close-button, .dash-datepicker-clear, .dash-input-stepper'
        ).forEach(fixCalendarButton);
        root.querySelectorAll('.table-responsive').forEach(fixRegion);
        root.querySelectorAll('.export-menu-toggle').forEach(fixDownload);
    }

    let queued = false;
    function schedule() {
        if (queued) { return; }
        queued = true;
        window.requestAnimationFrame(function () {
            queued = false;
            fixAll(document);
        });
    }

    function start() {
        fixAll(document);
        new MutationObserver(schedule).observe(document.body, {
            childList: true,
            subtree: true,
            attributes: true,
            characterData: true,  // a card's title changes with the filters
            attributeFilter: ['tabindex', 'aria-expanded', 'aria-haspopup', 'aria-label', 'aria-labelledby', 'role'],
        });
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
}());

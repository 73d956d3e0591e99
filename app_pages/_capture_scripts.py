"""The capture area's browser helpers: fixed scripts and a style, with no user text in
them, sent once per page with `st.html(..., unsafe_allow_javascript=True)`.

They keep an auditor's place and work safe during an interview: the next theme comes
into view, a half-typed note is marked and guarded against leaving the page, and the
theme chooser moves by arrow keys like a radio group.
"""

# A fixed script, no user text in it: after "Next theme" the new theme's first question
# comes into view instead of leaving the auditor at the bottom of the page, and the
# keyboard focus moves to the theme now selected.
SCROLL_TO_THEME = """<script>
for (const wait of [80, 400]) {
  setTimeout(() => {
    const top = document.querySelector('.st-key-theme_top');
    if (top) {
      top.style.scrollMarginTop = '4.5rem';  // clear of the app's top bar
      top.scrollIntoView({block: 'start', behavior: 'instant'});
    }
    // Keyboard users carry on from the theme now selected, not from the first one.
    const chosen = document.querySelector(
      '.st-key-theme_chooser button[aria-checked="true"]');
    if (chosen) chosen.focus({preventScroll: true});
  }, wait);
}
</script>"""


# A fixed script and style, no user text in them. A typed note is only sent when the box
# loses focus (or on Ctrl+Enter); until then the box is marked "not saved yet", and
# leaving or reloading the page asks first, so a half-typed note is never lost unseen.
UNSAVED_NOTE_GUARD = """<style>
[data-sg-unsaved] textarea { outline: 3px solid #8a4b00; outline-offset: 1px; }
[data-sg-unsaved]::after {
  content: "Not saved yet: leave the box (or press Ctrl+Enter) to save";
  display: block; color: #8a4b00; font-size: 0.85rem; font-weight: 600;
}
</style>
<script>
if (!window.sgUnsavedNoteGuard) {
  window.sgUnsavedNoteGuard = true;
  const boxOf = (el) => el && el.tagName === 'TEXTAREA'
    && el.closest('[data-testid=stMain]') ? el.closest('[data-testid=stTextArea]') : null;
  document.addEventListener('input', (e) => {
    const box = boxOf(e.target);
    if (box) box.setAttribute('data-sg-unsaved', '');
  }, true);
  const committed = (e) => {
    const box = boxOf(e.target);
    if (box) box.removeAttribute('data-sg-unsaved');
  };
  document.addEventListener('focusout', committed, true);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) committed(e);
  }, true);
  window.addEventListener('beforeunload', (e) => {
    if (document.querySelector('[data-sg-unsaved]')) { e.preventDefault(); e.returnValue = ''; }
  });
}
</script>"""


# A fixed script, no user text in it. The theme chooser is a row of buttons, one per
# theme, and each was in the tab order, so Tab into it landed on the first theme. As in
# a radio group (roving tabindex), only the selected theme's button is in the tab order:
# Tab or Shift+Tab into the row lands on it, and the arrow keys (Home, End) move along
# the row; Enter or Space opens the theme under focus.
THEME_FOCUS_GUARD = """<script>
if (!window.sgThemeRoving) {
  window.sgThemeRoving = true;
  const rove = () => {
    for (const b of document.querySelectorAll('.st-key-theme_chooser button')) {
      const want = b.getAttribute('aria-checked') === 'true' ? '0' : '-1';
      if (b.getAttribute('tabindex') !== want) b.setAttribute('tabindex', want);
    }
  };
  new MutationObserver(rove).observe(document.body, {subtree: true, childList: true,
    attributes: true, attributeFilter: ['aria-checked', 'tabindex']});
  rove();
  const moves = {ArrowLeft: -1, ArrowUp: -1, ArrowRight: 1, ArrowDown: 1};
  document.addEventListener('keydown', (e) => {
    const row = e.target.closest && e.target.closest('.st-key-theme_chooser');
    if (!row || !(e.key in moves || e.key === 'Home' || e.key === 'End')) return;
    const all = [...row.querySelectorAll('button')];
    const i = all.indexOf(e.target);
    const to = e.key === 'Home' ? 0 : e.key === 'End' ? all.length - 1
      : (i + moves[e.key] + all.length) % all.length;
    e.preventDefault();
    e.stopPropagation();  // the button row's own arrow handling would move a second step
    all[to].focus();
  }, true);
}
</script>"""

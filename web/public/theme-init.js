// Sets data-theme from the saved choice before the app loads, so a dark-theme user never sees a
// white flash. Kept tiny and dependency-free; src/state/theme.ts owns the same key.
try {
  var saved = localStorage.getItem('kb.theme');
  if (saved === 'light' || saved === 'dark') document.documentElement.dataset.theme = saved;
} catch (e) {}

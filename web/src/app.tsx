import { useEffect } from 'preact/hooks';
import { Link } from './components/link.tsx';
import { TierPicker } from './components/tier-picker.tsx';
import { isTier, TIER_LABELS, TIERS } from './lib/labels.ts';
import { useStore } from './lib/store.ts';
import { RunbookPage } from './runbook/runbook-page.tsx';
import { SEARCH_INPUT_ID, SearchPage } from './search/search-page.tsx';
import { goBack, lastSearchStore, navigate, type Route, routeStore } from './state/route.ts';
import { themeStore, toggleTheme } from './state/theme.ts';
import { chooseTier, tierStore } from './state/tier.ts';
import { SuggestPage } from './suggest/suggest-page.tsx';

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable="true"]') !== null;

/** `/` jumps to the search box from anywhere; Esc leaves a runbook or the suggest page. */
function useGlobalKeys(route: Route) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || !tierStore.get()) return;
      if (event.key === '/' && !isTyping(event.target)) {
        event.preventDefault();
        if (route.name !== 'search') navigate(lastSearchStore.get());
        const input = document.getElementById(SEARCH_INPUT_ID) as HTMLInputElement | null;
        input?.focus();
        input?.select();
      } else if (event.key === 'Escape' && route.name !== 'search') {
        event.preventDefault();
        goBack();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [route]);
}

function Header({ route }: { route: Route }) {
  const tier = useStore(tierStore);
  const theme = useStore(themeStore);
  const here = (name: Route['name']) => (route.name === name || (name === 'search' && route.name === 'runbook') ? 'page' : undefined);
  return (
    <header class="topbar">
      <Link class="brand" to={lastSearchStore.get()}>
        <img src="./favicon.svg" alt="" width={22} height={22} />
        <span>Runbooks</span>
      </Link>
      <nav class="mainnav" aria-label="Main">
        <Link to={lastSearchStore.get()} aria-current={here('search')}>
          Search
        </Link>
        <Link to={{ name: 'suggest' }} aria-current={here('suggest')}>
          Suggest<span class="wide-only"> from a ticket</span>
        </Link>
      </nav>
      <div class="tools">
        {tier && (
          <>
            <label for="tier-select" class="tier-label">
              <span class="wide-only">Your </span>tier
            </label>
            <select
              id="tier-select"
              value={tier}
              title="Your tier: you only see runbooks written for it"
              onChange={(event) => {
                const value = event.currentTarget.value;
                if (isTier(value)) chooseTier(value);
              }}
            >
              {TIERS.map((t) => (
                <option key={t} value={t}>
                  {TIER_LABELS[t].short}
                </option>
              ))}
            </select>
          </>
        )}
        <button type="button" class="icon-button" aria-pressed={theme === 'dark'} aria-label="Dark theme" title="Dark theme" onClick={toggleTheme}>
          <span aria-hidden="true">{theme === 'dark' ? '☾' : '☀'}</span>
        </button>
      </div>
    </header>
  );
}

export function App() {
  const route = useStore(routeStore);
  const tier = useStore(tierStore);
  useGlobalKeys(route);

  let page = null;
  if (!tier) page = <TierPicker />;
  else if (route.name === 'runbook') page = <RunbookPage key={route.id} id={route.id} query={route.q} section={route.section} tier={tier} />;
  else if (route.name === 'suggest') page = <SuggestPage tier={tier} />;
  else page = <SearchPage route={route} tier={tier} />;

  return (
    <>
      <button type="button" class="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <Header route={route} />
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}

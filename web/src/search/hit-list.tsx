import type { SearchHit } from '../api/types.ts';
import { Badges } from '../components/badges.tsx';
import { Link } from '../components/link.tsx';
import { Snippet } from '../lib/sanitized-html.tsx';

interface Props {
  hits: SearchHit[];
  query: string;
  /** Arrow keys past the top, Esc, or typing: hand focus back to the search box. */
  onLeave: (typed?: string) => void;
  onOpen: (id: string) => void;
}

/** How well a hit answers the query, as the API grades it (strong as a confident suggestion). */
const STRENGTH_LABELS: Record<SearchHit['strength'], string> = { strong: 'Strong match', partial: 'Partial match', weak: 'Weak match' };

const hitLinks = (list: HTMLElement) => Array.from(list.querySelectorAll<HTMLAnchorElement>('a.hit'));

/** Moves focus through the result links with the arrow keys; Enter follows the focused link natively. */
function onListKeyDown(event: KeyboardEvent, onLeave: Props['onLeave']) {
  const list = event.currentTarget as HTMLElement;
  const links = hitLinks(list);
  const index = links.indexOf(document.activeElement as HTMLAnchorElement);
  const focus = (i: number) => links[Math.max(0, Math.min(links.length - 1, i))]?.focus();
  if (event.key === 'ArrowDown') focus(index + 1);
  else if (event.key === 'ArrowUp') index <= 0 ? onLeave() : focus(index - 1);
  else if (event.key === 'Home') focus(0);
  else if (event.key === 'End') focus(links.length - 1);
  else if (event.key === 'Escape') onLeave();
  // Typing while on a result goes to the search box; `/` is left to the global shortcut.
  else if (event.key.length === 1 && event.key !== '/' && !event.ctrlKey && !event.metaKey && !event.altKey) onLeave(event.key);
  else return;
  event.preventDefault();
}

export function HitList({ hits, query, onLeave, onOpen }: Props) {
  return (
    <ol class="hits" aria-label="Results" onKeyDown={(event) => onListKeyDown(event, onLeave)}>
      {hits.map((hit) => (
        <li key={hit.id}>
          <Link
            class="hit"
            to={{ name: 'runbook', id: hit.id, q: query, section: hit.section.anchor }}
            data-id={hit.id}
            aria-describedby={`snippet-${hit.id}`}
            onClick={() => onOpen(hit.id)}
          >
            <span class="hit-title">{hit.title}</span>
            <span class="hit-meta">
              <span class="strength" data-strength={hit.strength}>
                {STRENGTH_LABELS[hit.strength]}
              </span>
              <Badges tier={hit.tier} state={hit.state} stale={hit.stale} category={hit.category} />
              <span class="hit-section">in {hit.section.heading}</span>
            </span>
            <Snippet html={hit.snippet} id={`snippet-${hit.id}`} />
          </Link>
        </li>
      ))}
    </ol>
  );
}

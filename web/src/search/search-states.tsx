import type { Tier } from '../api/types.ts';
import { Link } from '../components/link.tsx';
import { searchRoute } from '../state/route.ts';

/** Starting points in the words users actually say, per tier. */
const EXAMPLES: Record<Tier, string[]> = {
  l1: ['outlook keeps asking for my password', 'vpn won’t connect', 'printer offline', 'teams mic not working'],
  l2: ['bitlocker recovery key', 'dns not resolving', 'windows update fails', 'temporary profile'],
  l3: ['active directory replication', 'gpo not applying', 'disk full on linux server', 'backup job failed'],
  infra: ['load balancer certificate expiry', 'kubernetes node not ready', 'storage latency high', 'site to site vpn down'],
};

export function IdleHints({ tier }: { tier: Tier }) {
  return (
    <div class="idle">
      <h2 class="idle-title">Find a fix</h2>
      <p class="muted">Type what the user tells you, in their words. Results appear as you type.</p>
      <h3 class="idle-sub">Try</h3>
      <ul class="examples">
        {EXAMPLES[tier].map((q) => (
          <li key={q}>
            <Link class="chip" to={searchRoute(q)}>
              {q}
            </Link>
          </li>
        ))}
      </ul>
      <p class="muted">
        Have the ticket open? <Link to={{ name: 'suggest' }}>Paste it into Suggest from a ticket</Link> to get ranked fixes and escalation
        advice.
      </p>
    </div>
  );
}

export function NoResults({ query, filtered, onClearFilters }: { query: string; filtered: boolean; onClearFilters: () => void }) {
  return (
    <div class="no-results">
      <h2>No runbook matches “{query}”</h2>
      <p>
        This search has been <strong>recorded as a gap</strong>, so the knowledge team can see what agents need a runbook for.
      </p>
      <ul>
        {filtered && (
          <li>
            <button type="button" class="link-button" onClick={onClearFilters}>
              Search again without filters
            </button>
          </li>
        )}
        <li>Try fewer words, or the exact error message the user sees.</li>
        <li>
          <Link to={{ name: 'suggest' }}>Suggest from a ticket</Link> also looks at past resolutions and tells you where to escalate.
        </li>
      </ul>
    </div>
  );
}

import type { FacetName, Facets } from '../api/types.ts';
import { categoryName, STATE_LABELS, STATES, TIER_LABELS, TIERS } from '../lib/labels.ts';
import type { SearchRoute } from '../state/route.ts';

interface FacetValue {
  value: string;
  label: string;
  count: number;
}

function valuesOf(name: FacetName, counts: Record<string, number>, selected: readonly string[]): FacetValue[] {
  const keys = new Set([...Object.keys(counts), ...selected]);
  const count = (value: string) => counts[value] ?? 0;
  if (name === 'tier') {
    return TIERS.filter((t) => keys.has(t)).map((t) => ({
      value: t,
      label: `${TIER_LABELS[t].short} · ${TIER_LABELS[t].role}`,
      count: count(t),
    }));
  }
  if (name === 'state') return STATES.filter((s) => keys.has(s)).map((s) => ({ value: s, label: STATE_LABELS[s], count: count(s) }));
  return [...keys]
    .map((c) => ({ value: c, label: categoryName(c), count: count(c) }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

const LEGENDS: Record<FacetName, string> = { tier: 'Tier', category: 'Category', state: 'State' };

interface Props {
  facets: Facets;
  route: SearchRoute;
  onChange: (name: FacetName, values: string[]) => void;
}

/** Tier, category and state filters as checkbox groups with the number of matching runbooks. */
export function FacetFilters({ facets, route, onChange }: Props) {
  return (
    <div class="facets">
      {(['tier', 'category', 'state'] as const).map((name) => {
        const selected: readonly string[] = route[name];
        const values = valuesOf(name, facets[name], selected);
        if (values.length === 0) return null;
        return (
          <fieldset key={name} class="facet">
            <legend>{LEGENDS[name]}</legend>
            {values.map(({ value, label, count }) => {
              const id = `facet-${name}-${value}`;
              const checked = selected.includes(value);
              return (
                <div class="facet-value" key={value}>
                  <input
                    type="checkbox"
                    id={id}
                    checked={checked}
                    onChange={() => onChange(name, checked ? selected.filter((v) => v !== value) : [...selected, value])}
                  />
                  <label for={id}>
                    <span>{label}</span>
                    <span class="count">{count}</span>
                  </label>
                </div>
              );
            })}
          </fieldset>
        );
      })}
    </div>
  );
}

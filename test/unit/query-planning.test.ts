import { describe, expect, it } from 'vitest';
import { analyze, tokenize } from '../../functions/src/core/search/analyze.ts';
import { searchOptions } from '../../functions/src/core/search/options.ts';
import { planQuery } from '../../functions/src/core/search/plan.ts';
import { makeSnippet } from '../../functions/src/core/search/snippet.ts';
import { expandSynonyms, parseSynonyms } from '../../functions/src/core/search/synonyms.ts';
import { titleCoverage, titleTerms } from '../../functions/src/core/search/title-match.ts';

const options = searchOptions();
const { set: synonyms } = parseSynonyms(`
# jargon
pw, passwd => password
2fa, mfa, two factor
bsod, blue screen
anyconnect, globalprotect => vpn
`);
const terms = (text: string) => planQuery({ text }, synonyms, options).terms.map((t) => [t.term, t.weight]);

describe('analysis', () => {
  it('lowercases, splits camel case (keeping the whole word), drops stop words and stems', () => {
    expect(tokenize('KubePodCrashLooping')).toEqual(['kube', 'pod', 'crash', 'looping', 'kubepodcrashlooping']);
    expect(analyze('The printers are NOT printing')).toEqual(['printer', 'not', 'print']);
  });

  it('keeps words that matter in IT although general stop lists drop them', () => {
    expect(analyze('VPN is down, user locked out')).toEqual(['vpn', 'down', 'user', 'lock', 'out']);
  });
});

describe('synonyms (Solr format)', () => {
  it('rewrites `=>` rules and expands equivalences, longest phrase first', () => {
    expect(expandSynonyms(['pw', 'reset'], synonyms).map((w) => w.word)).toEqual(['password', 'reset']);
    expect(expandSynonyms(['blue', 'screen'], synonyms).map((w) => [w.word, w.synonym])).toEqual([
      ['blue', false],
      ['screen', false],
      ['bsod', true],
    ]);
  });

  it('reports unreadable lines with their numbers', () => {
    expect(parseSynonyms('a => b => c\nlonely\nok, fine').errors.map((e) => e.line)).toEqual([1, 2]);
  });

  it('gives equivalence synonyms less weight than the typed word, and rewrites full weight', () => {
    expect(terms('2fa broken')).toEqual([
      ['2fa', 1],
      ['mfa', options.synonymWeight],
      ['two', options.synonymWeight],
      ['factor', options.synonymWeight],
      ['broken', 1],
    ]);
    expect(terms('anyconnect')).toEqual([['vpn', 1]]);
  });
});

describe('query plans', () => {
  it('never interpret query syntax: operators and punctuation are just separators', () => {
    expect(terms('title:vpn AND (down OR "slow") -user*')).toEqual([
      ['titl', 1],
      ['vpn', 1],
      ['down', 1],
      ['slow', 1],
      ['user', 1],
    ]);
  });

  it('weigh host names, URLs and numbers below the words that describe the problem', () => {
    const plan = planQuery({ text: 'Gitaly down on file-03.db.example.internal port 9100' }, synonyms, options);
    const weight = (term: string) => plan.terms.find((t) => t.term === term)?.weight;
    expect(weight('gitali')).toBe(1);
    expect(weight('db')).toBe(options.identifierWeight);
    expect(weight('9100')).toBe(options.identifierWeight);
  });

  it('weigh description words below subject words', () => {
    const plan = planQuery({ text: 'VPN drops', context: 'since the printer update' }, synonyms, options);
    expect(plan.terms.find((t) => t.term === 'printer')?.weight).toBe(options.contextWeight);
    expect(plan.terms.find((t) => t.term === 'vpn')?.weight).toBe(1);
  });

  it('cap the number of terms so a pasted log cannot slow the engine', () => {
    const words = Array.from({ length: 500 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${i}`).join(' ');
    expect(planQuery({ text: words }, synonyms, options).terms.length).toBe(options.maxQueryTerms);
  });

  it('mark long words for typo tolerance and the unfinished last word as a prefix', () => {
    const plan = planQuery({ text: 'outlok pass', asYouType: true }, synonyms, options);
    expect(plan.terms.map((t) => [t.term, t.fuzzy, t.prefix])).toEqual([
      ['outlok', true, false],
      ['pass', false, true],
    ]);
  });
});

describe('snippets', () => {
  it('mark matched words and escape everything else', () => {
    const html = makeSnippet('Run <b>cmdkey</b> & clear the Outlook credentials', new Set(['outlook', 'credenti']));
    expect(html).toBe('Run &lt;b&gt;cmdkey&lt;/b&gt; &amp; clear the <mark>Outlook</mark> <mark>credentials</mark>');
  });

  it('pick the passage with the most matches from a long text', () => {
    const text = `${'filler '.repeat(100)}the vpn client drops ${'filler '.repeat(100)}`;
    const html = makeSnippet(text, new Set(['vpn', 'drop']), 12);
    expect(html).toContain('<mark>vpn</mark> client <mark>drops</mark>');
    expect(html.startsWith('…')).toBe(true);
  });
});

describe('title coverage', () => {
  it('is the share of title words the query has, with stems that differ at the end counting', () => {
    const title = titleTerms('PrometheusTSDBReloadsFailing');
    expect(titleCoverage(title, analyze('Prometheus has reload failures'))).toBe(0.75);
  });
});

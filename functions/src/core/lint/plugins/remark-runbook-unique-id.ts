import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { lintData, type RuleOptions, report } from '../report.ts';

/**
 * Ids are how links, feedback and ticket resolutions point at a runbook: two runbooks with one
 * id would share (and corrupt) that history.
 *
 * not-ok: two files with `id: vpn-fails` → "Duplicate id `vpn-fails`, also declared by `l2/other.md`"
 */
export default function remarkRunbookUniqueId(options: RuleOptions = {}) {
  return (_tree: Root, file: VFile) => {
    const { runbook, library, fieldPositions } = lintData(file);
    const others = (library.ids.get(runbook.id) ?? []).filter((p) => p !== runbook.path);
    if (others.length === 0) return;
    const reason = `Duplicate id \`${runbook.id}\`, also declared by ${others.map((p) => `\`${p}\``).join(', ')}`;
    report(file, 'unique-id', options.severity ?? 'error', reason, fieldPositions.get('id') ?? { line: 1, column: 1 });
  };
}

import { lintData, report, runbookRule } from '../rule.ts';

/**
 * Ids are how links, feedback and ticket resolutions point at a runbook: two runbooks with one
 * id would share (and corrupt) that history.
 *
 * not-ok: two files with `id: vpn-fails` → "Duplicate id `vpn-fails`, also declared by `l2/other.md`"
 */
export default runbookRule('unique-id', (_tree, file) => {
  const { runbook, library, fieldPositions } = lintData(file);
  const others = (library.ids.get(runbook.id) ?? []).filter((p) => p !== runbook.path);
  if (others.length === 0) return;
  report(
    file,
    `Duplicate id \`${runbook.id}\`, also declared by ${others.map((p) => `\`${p}\``).join(', ')}`,
    fieldPositions.get('id') ?? { line: 1, column: 1 },
    'Give the newer runbook its own `id` (and file name); never rename the one tickets already point at',
  );
});

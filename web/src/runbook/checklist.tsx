import type { ComponentChildren } from 'preact';
import type { Step } from '../api/types.ts';
import { CommandBlock } from '../components/command-block.tsx';
import { plural } from '../lib/labels.ts';

export interface ChecklistItem {
  n: number;
  content: ComponentChildren;
}

interface Props {
  items: ChecklistItem[];
  done: ReadonlySet<number>;
  onToggle: (n: number) => void;
}

/** The fix steps as a checklist: the agent ticks what they did while the user is on the phone. */
export function Checklist({ items, done, onToggle }: Props) {
  const count = items.filter((item) => done.has(item.n)).length;
  return (
    <div class="checklist">
      <div class="checklist-progress">
        <progress value={count} max={items.length} aria-label="Steps done" />
        <span aria-live="polite">
          {count} of {plural(items.length, 'step')} done
        </span>
      </div>
      <ol class="steps">
        {items.map(({ n, content }) => (
          <li key={n} class="step" data-done={done.has(n)}>
            <label class="step-check">
              <input type="checkbox" checked={done.has(n)} onChange={() => onToggle(n)} />
              <span class="step-n" aria-hidden="true">
                {n}
              </span>
              <span class="visually-hidden">Step {n} done</span>
            </label>
            <div class="step-body">{content}</div>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Steps as the API lists them (text and commands), for fix sections without a numbered list and for suggestions. */
export const itemsFromSteps = (steps: readonly Step[]): ChecklistItem[] =>
  steps.map((step) => ({
    n: step.n,
    content: (
      <>
        <p>{step.text}</p>
        {step.commands.map((command, i) => (
          <CommandBlock key={i} code={command.code} lang={command.lang} />
        ))}
      </>
    ),
  }));

import type { ComponentChildren } from 'preact';
import { formatRoute, navigate, type Route } from '../state/route.ts';

interface Props {
  to: Route;
  children: ComponentChildren;
  class?: string;
  onClick?: (event: MouseEvent) => void;
  'aria-label'?: string;
  'aria-describedby'?: string;
  'aria-current'?: 'page' | undefined;
  'data-id'?: string;
}

/**
 * An in-app link: a real <a href> (open in a new tab, copy link and screen readers all work),
 * whose plain click is routed by the app so the history entry is marked as ours.
 */
export function Link({ to, children, onClick, ...rest }: Props) {
  return (
    <a
      {...rest}
      href={formatRoute(to)}
      onClick={(event) => {
        onClick?.(event);
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

/**
 * Said above answers while the platform, just started on a large library, finds runbooks by their
 * words alone (the model embeds it meanwhile, a couple of minutes for 10,000): an agent then knows
 * why a ticket in everyday words found nothing, and that the runbook's own terms still work.
 */
export function WordsOnlyNotice() {
  return (
    <p class="callout words-only" role="note">
      Matching by words only for now: the knowledge base is still reading its newly loaded runbooks. Everyday wording may miss; the terms a
      runbook uses still find it.
    </p>
  );
}

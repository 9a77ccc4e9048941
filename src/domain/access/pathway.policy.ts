import { type Actor, hasRole } from './roles.ts';

/** An OH physician publishes new versions of their provider's pathways (DOMAIN.md: rules an OH physician can edit). */
export function canPublishRuleSet(actor: Actor): boolean {
  return hasRole(actor, 'oh-physician');
}

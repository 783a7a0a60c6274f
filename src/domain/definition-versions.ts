import type { TemplateTrigger } from './templates';

export type VersionedStatus = 'draft' | 'active' | 'inactive';

/** The parts of a definition a version holds; a save that changes none of them makes no version and changes none. */
export const VERSIONED_FIELDS = ['name', 'conditions', 'actions', 'schedule', 'sequence'] as const;

/**
 * Whether a saved change of a definition makes version n+1 (else it rewrites the current version). Runs of an
 * approval keep the version they started with, so a version under which a run may have started never changes: an
 * approval definition that is active, or was (inactive), gets a new version; a draft has never run and is edited in
 * place. The other templates' runs read the definition as it is when they run: they keep one version.
 */
export function editMakesVersion(trigger: TemplateTrigger, status: VersionedStatus): boolean {
  return trigger === 'approval' && status !== 'draft';
}

/** A version number given in a path: a whole number from 1 (at most a Postgres integer), or null. */
export function parseVersionNumber(text: string): number | null {
  if (!/^[1-9]\d{0,9}$/.test(text)) return null;
  const n = Number(text);
  return n <= 2_147_483_647 ? n : null;
}

import { NotFoundException } from '@nestjs/common';
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { findOfCompany } from '../../db/owned';

/**
 * Loads a record of the caller's company. Another company's id answers exactly like an unknown one (404),
 * so that a key never learns whether a foreign record exists.
 */
export async function findOwned<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  companyId: string,
  id: string,
  label: string,
  options: { lock?: boolean } = {},
): Promise<E> {
  return orNotFound(await findOfCompany(manager, entity, companyId, id, options), label, id);
}

/** The record a repository found for the caller's company, or 404. */
export function orNotFound<E>(row: E | null | undefined, label: string, id: string): E {
  if (!row) throw new NotFoundException(`${label} ${id} not found`);
  return row;
}

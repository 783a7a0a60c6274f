import { NotFoundException } from '@nestjs/common';
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

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
  const row = await manager.getRepository(entity).findOne({
    where: { id, companyId } as never,
    ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!row) throw new NotFoundException(`${label} ${id} not found`);
  return row;
}

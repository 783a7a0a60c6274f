import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CustomersRepository } from '../../db/customers.repository';
import { mapPage } from '../../db/pagination';
import { SuppressionsRepository } from '../../db/suppressions.repository';
import { audit } from '../audit/audit-trail';
import { AuthUser } from '../auth/current-user.decorator';
import { ListSuppressionsQueryDto } from './dto/suppression.dto';
import { toSuppressionView } from './suppression.mapper';

@Injectable()
export class SuppressionsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Reads are not in the audit trail, like every other list: the trail records changes. */
  async list(user: AuthUser, query: ListSuppressionsQueryDto) {
    const page = await new SuppressionsRepository(this.dataSource).findPage(user.companyId, { address: query.address }, query);
    return mapPage(page, toSuppressionView);
  }

  /**
   * The address may be mailed again: its customers' email status is ok again (an address has one suppression). A
   * customer who complained stays opted out: only they (or a PATCH) turn reminders back on.
   */
  async remove(user: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const deleted = await new SuppressionsRepository(m).deleteOwned(user.companyId, id);
      if (!deleted) throw new NotFoundException(`suppression ${id} not found`);
      await new CustomersRepository(m).resetEmailStatus(user.companyId, deleted.address);
      await audit.record(m, user, { type: 'suppression.deleted', targetId: id, data: { origin: deleted.origin } });
    });
  }
}
